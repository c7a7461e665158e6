package io.contxray.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    private static final String ONE = """
            rules:
              - id: r1
                description: test
                level: warning
                when:
                  type: exec
                  basename: [sh, bash]
                except:
                  images: ["registry.local/debug/*"]
                  names: [toolbox]
            """;

    @Test
    void parsesARuleWithItsParts() throws RuleException {
        List<Rule> rules = RuleParser.parse(ONE, "f.yaml");
        assertEquals(1, rules.size());
        Rule r = rules.get(0);
        assertEquals("r1", r.id());
        assertEquals(Level.WARNING, r.level());
        assertEquals("f.yaml:2", r.source());
        assertEquals(Set.of("exec"), r.types());
        assertTrue(r.excepted("registry.local/debug/x:1", null));
        assertTrue(r.excepted("busybox", "toolbox"));
        assertFalse(r.excepted("busybox", "web"));
    }

    private static String error(String yaml) {
        return assertThrows(RuleException.class, () -> RuleParser.parse(yaml, "f.yaml")).getMessage();
    }

    @Test
    void unknownKeyNamesFileAndLine() {
        String msg = error(ONE.replace("    level: warning\n", "    level: warning\n    severity: high\n"));
        assertTrue(msg.startsWith("f.yaml:5: "), msg);
        assertTrue(msg.contains("unknown key \"severity\""), msg);
    }

    @Test
    void unknownFieldNamesFileAndLine() {
        String msg = error(ONE.replace("      basename:", "      basenme:"));
        assertTrue(msg.startsWith("f.yaml:7: "), msg);
        assertTrue(msg.contains("unknown field \"basenme\""), msg);
    }

    @Test
    void badLevelAndOperatorAndShapes() {
        assertTrue(error(ONE.replace("level: warning", "level: critical")).matches("f\\.yaml:4: .*level must be event, warning or alert.*"));
        assertTrue(error(ONE.replace("basename: [sh, bash]", "basename: {regex: sh}")).contains("unknown operator \"regex\""));
        assertTrue(error(ONE.replace("basename: [sh, bash]", "basename: {glob: a, prefix: b}")).contains("one operator"));
        assertTrue(error(ONE.replace("basename: [sh, bash]", "basename: []")).contains("an empty list"));
        assertTrue(error(ONE.replace("basename: [sh, bash]", "basename: [[sh]]")).contains("expected a value"));
        assertTrue(error(ONE.replace("      type: exec\n      basename: [sh, bash]\n", "      any: []\n")).contains("at least one"));
        assertTrue(error("rules: {id: x}").contains("expected a list"));
        assertTrue(error("other: 1").contains("unknown key \"other\""));
        assertTrue(error("- a").contains("expected a mapping"));
        assertTrue(error(ONE.replace("id: r1", "id: \"r 1\"")).contains("rule id"));
        assertTrue(error(ONE + ONE.substring("rules:\n".length())).contains("defined twice"));
    }

    @Test
    void missingPartsAreNamed() {
        assertTrue(error(ONE.replace("    description: test\n", "")).matches("f\\.yaml:2: rule \"r1\": missing \"description\""));
        assertTrue(error("rules:\n  - id: r\n    description: d\n    level: event\n").contains("missing \"when\""));
    }

    @Test
    void yamlSyntaxErrorIsOneLineWithItsLine() {
        String msg = error("rules:\n  - id: r1\n    description: [unclosed\n    level: alert\n");
        assertTrue(msg.startsWith("f.yaml:"), msg);
        assertFalse(msg.contains("\n"), msg);
        assertTrue(error("rules:\n  - id: a\n    id: b\n").contains("duplicate key \"id\""));
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(200) + "]".repeat(200);
        assertTrue(error(deep).contains("nested deeper"));
    }

    @Test
    void globsWithTooManyStarsAreRefused() {
        assertTrue(error(ONE.replace("basename: [sh, bash]", "basename: {glob: \"*a*a*a*a*a*a*a*a*a*\"}")).contains("more than 8"));
    }

    @Test
    void emptyFileHasNoRulesAndDisablingNeedsOnlyTheId() throws RuleException {
        assertEquals(List.of(), RuleParser.parse("", "f.yaml"));
        List<Rule> r = RuleParser.parse("rules:\n  - {id: drift-exec, enabled: false}\n", "f.yaml");
        assertFalse(r.get(0).enabled());
        assertTrue(error("rules:\n  - {id: x, enabled: false, level: alert}\n").contains("unknown key \"level\""));
        assertTrue(error("rules:\n  - {id: x, enabled: maybe}\n").contains("true or false"));
    }

    @Test
    void arbitraryBytesOnlyEverGiveRuleExceptions() {
        java.util.Random random = new java.util.Random(16);
        String alphabet = "rules:- {}[]\"'&*!|>#%@`\n\t :,?id level when all any not type glob \\u0000é";
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(80);
            for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                RuleParser.parse(s.toString(), "fuzz.yaml");
            } catch (RuleException e) {
                assertTrue(e.getMessage().startsWith("fuzz.yaml:"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
