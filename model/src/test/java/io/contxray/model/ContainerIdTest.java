package io.contxray.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc123", "0f3e9d2c1b", "my_container.v2-1", "A"})
    void acceptsOrdinaryIds(String id) {
        assertEquals(id, ContainerId.validate(id));
    }

    @Test
    void accepts128Characters() {
        String id = "a".repeat(128);
        assertEquals(id, ContainerId.validate(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "", ".", "..", "/abs", "-flag", ".hidden", "_x", "a b", "a\nb", "é"})
    void rejectsHostileIds(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerId.validate(id));
        assertTrue(e.getMessage().startsWith("container id \""), e.getMessage());
        assertTrue(e.getMessage().contains("rejected: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(ContainerId.isValid(id));
    }

    @Test
    void rejectsTooLong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerId.validate("x".repeat(200)));
        assertTrue(e.getMessage().contains("longer than 128"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, "message cuts the id: " + e.getMessage());
    }

    @Test
    void rejectsNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerId.validate("x\0y"));
        assertEquals("container id \"x\\u0000y\" rejected: contains a NUL character", e.getMessage());
    }

    @Test
    void rejectsNullAndNamesTraversal() {
        assertThrows(IllegalArgumentException.class, () -> ContainerId.validate(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerId.validate("../x"));
        assertEquals("container id \"../x\" rejected: contains '/'", e.getMessage());
    }
}
