package io.contxray.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoAuditCallersTest {
    private static NoAuditCallers parse(String kallsyms) throws Exception {
        return NoAuditCallers.parse(new BufferedReader(new StringReader(kallsyms)));
    }

    @Test
    void eachCallerEndsWhereTheNextSymbolStarts() throws Exception {
        NoAuditCallers c = parse("""
                ffffffff8136fc30 T ns_capable_noaudit
                ffffffff8136fa80 T has_capability_noaudit
                ffffffff8136fae0 T ns_capable_setid
                ffffffff8136fda0 T has_ns_capability_noaudit
                ffffffff8136fdf0 t __pfx_something
                ffffffff8136fcb0 T ns_capable_noaudit_alias
                ffffffff815d4060 T __vm_enough_memory
                ffffffff81ac08d0 T security_vm_enough_memory_mm
                ffffffff81ac08d0 T same_address_alias
                ffffffff81ac0950 T security_settime64
                ffffffffc0a01000 t ns_capable_noaudit\t[some_module]
                """);
        assertNull(c.problem());
        assertEquals(List.of(
                new NoAuditCallers.Range("security_vm_enough_memory_mm", 0xffffffff81ac08d0L, 0xffffffff81ac0950L),
                new NoAuditCallers.Range("ns_capable_noaudit", 0xffffffff8136fc30L, 0xffffffff8136fcb0L),
                new NoAuditCallers.Range("has_ns_capability_noaudit", 0xffffffff8136fda0L, 0xffffffff8136fdf0L),
                new NoAuditCallers.Range("has_capability_noaudit", 0xffffffff8136fa80L, 0xffffffff8136fae0L)),
                c.ranges());
    }

    @Test
    void hiddenAddressesOrMissingFunctionsAreAProblemNotAnError() throws Exception {
        NoAuditCallers hidden = parse("0000000000000000 T ns_capable_noaudit\n0000000000000000 T capable\n");
        assertEquals(List.of(), hidden.ranges());
        assertTrue(hidden.problem().contains("kptr_restrict"), hidden.problem());

        NoAuditCallers none = parse("ffffffff8136fbc0 T capable\nffffffff8136fc30 T ns_capable\n");
        assertEquals(List.of(), none.ranges());
        assertTrue(none.problem().startsWith("none of [security_vm_enough_memory_mm"), none.problem());

        NoAuditCallers last = parse("ffffffff8136fc30 T ns_capable_noaudit\n");
        assertEquals(List.of(), last.ranges(), "no symbol after it: its end is unknown");

        NoAuditCallers junk = parse("garbage\n\nffffffff8136fc30 T\n");
        assertEquals(List.of(), junk.ranges());
    }
}
