package io.contxray.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static Condition when(String yaml) throws RuleException {
        String file = "rules:\n  - id: t\n    description: d\n    level: event\n    when: " + yaml + "\n";
        return RuleParser.parse(file, "t.yaml").get(0).when();
    }

    private static Facts facts(Map<String, List<String>> values) {
        return field -> values.getOrDefault(field, List.of());
    }

    private static final Facts EXEC = facts(Map.of("type", List.of("exec"), "filename", List.of("/usr/bin/apt-get"),
            "basename", List.of("apt-get"), "argv", List.of("apt-get", "install", "-y", "curl")));

    @Test
    void operators() throws RuleException {
        assertTrue(when("{basename: apt-get}").matches(EXEC));
        assertFalse(when("{basename: apt}").matches(EXEC));
        assertTrue(when("{basename: [apk, apt-get]}").matches(EXEC));
        assertTrue(when("{filename: {prefix: /usr/}}").matches(EXEC));
        assertFalse(when("{filename: {prefix: /bin/}}").matches(EXEC));
        assertTrue(when("{filename: {under: /usr/bin}}").matches(EXEC));
        assertFalse(when("{filename: {under: /usr/bi}}").matches(EXEC));
        assertTrue(when("{filename: {glob: \"/usr/*/apt-*\"}}").matches(EXEC));
        assertFalse(when("{filename: {glob: \"apt-*\"}}").matches(EXEC));
        // glob metacharacters of regexes are literal
        assertFalse(when("{basename: {glob: \"apt.get\"}}").matches(EXEC));
        assertTrue(when("{basename: {glob: \"apt?get\"}}").matches(EXEC));
    }

    @Test
    void listFieldsHoldWhenAnyElementDoes() throws RuleException {
        assertTrue(when("{argv: install}").matches(EXEC));
        assertFalse(when("{argv: remove}").matches(EXEC));
    }

    @Test
    void absentFieldsNeverMatchAndNotInvertsThat() throws RuleException {
        assertFalse(when("{path: /etc/passwd}").matches(EXEC));
        assertTrue(when("{not: {path: /etc/passwd}}").matches(EXEC));
    }

    @Test
    void combinations() throws RuleException {
        assertTrue(when("{type: exec, basename: apt-get}").matches(EXEC));
        assertFalse(when("{type: file, basename: apt-get}").matches(EXEC));
        assertTrue(when("{any: [{type: file}, {argv: -y}]}").matches(EXEC));
        assertFalse(when("{all: [{type: exec}, {not: {argv: -y}}]}").matches(EXEC));
    }

    @Test
    void typesForThePreFilter() throws RuleException {
        assertEquals(Set.of("exec"), when("{type: exec, basename: x}").types());
        assertEquals(Set.of("exec", "file"), when("{type: [exec, file]}").types());
        assertEquals(Set.of("exec", "net"), when("{any: [{type: exec}, {type: net, kind: listen}]}").types());
        assertNull(when("{any: [{type: exec}, {comm: x}]}").types());
        assertNull(when("{not: {type: exec}}").types());
        assertEquals(Set.of(), when("{type: exec, all: [{type: file}]}").types());
    }

    @Test
    void underIsComponentWise() {
        assertTrue(Condition.under("/etc/passwd", "/etc"));
        assertTrue(Condition.under("/etc", "/etc/"));
        assertFalse(Condition.under("/etcd/x", "/etc"));
        assertTrue(Condition.under("/x", "/"));
    }
}
