package io.contxray.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {
    @Test
    void userFilesAddReplaceAndDisableDefaults(@TempDir Path dir) throws Exception {
        int defaults = RuleFiles.defaults().rules().size();
        Files.writeString(dir.resolve("10-mine.yaml"), """
                rules:
                  - id: wget-run
                    description: wget ran
                    level: event
                    when: {type: exec, basename: wget}
                  - {id: raw-socket, enabled: false}
                  - id: package-manager
                    description: replaced
                    level: alert
                    when: {type: exec, basename: apk}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not rules");
        RuleSet set = RuleFiles.load(dir);
        assertEquals(defaults, set.rules().size()); // one added, one removed
        assertTrue(set.rules().stream().noneMatch(r -> r.id().equals("raw-socket")));
        assertEquals(Level.ALERT, set.rules().stream().filter(r -> r.id().equals("package-manager")).findFirst().orElseThrow().level());
        assertEquals(2, set.sources().size());
    }

    @Test
    void aBrokenFileFailsTheWholeLoadWithItsLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "rules:\n  - id: x\n    description: d\n    level: loud\n    when: {type: exec}\n");
        RuleException e = assertThrows(RuleException.class, () -> RuleFiles.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("a.yaml") + ":4: "), e.getMessage());
    }

    @Test
    void aMissingDirectoryGivesTheDefaults() throws Exception {
        assertEquals(RuleFiles.defaults().rules().stream().map(Rule::source).toList(),
                RuleFiles.load(Path.of("/nonexistent/rules.d")).rules().stream().map(Rule::source).toList());
        assertFalse(RuleFiles.defaults().rules().isEmpty());
    }
}
