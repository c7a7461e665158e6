package io.contxray.bpf;

import static io.contxray.bpf.Libbpf.LIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar's contxray.bpf.o, opened but not loaded (no root needed), agrees with Layout. */
class EmbeddedObjectTest {
    @Test
    void mapsMatchLayout() {
        Memory bytes = SyscallRecorderProgram.embeddedObject();
        Pointer obj = SyscallRecorderProgram.openObject(bytes);
        try {
            Pointer cgroups = SyscallRecorderProgram.map(obj, SyscallRecorderProgram.MAP_CGROUPS);
            assertEquals(Layout.CGROUP_KEY_SIZE, LIB.bpf_map__key_size(cgroups));
            assertEquals(Layout.CGROUP_ENTRY_SIZE, LIB.bpf_map__value_size(cgroups));
            assertEquals(Layout.CX_MAX_CGROUPS, LIB.bpf_map__max_entries(cgroups));

            Pointer counts = SyscallRecorderProgram.map(obj, SyscallRecorderProgram.MAP_COUNTS);
            assertEquals(Layout.COUNTS_KEY_SIZE, LIB.bpf_map__key_size(counts));
            assertEquals(Layout.SYSCALL_COUNTS_SIZE, LIB.bpf_map__value_size(counts));
            assertEquals(Layout.CX_MAX_SLOTS * Layout.CX_PHASES, LIB.bpf_map__max_entries(counts));

            // settings is the only .rodata variable, so SyscallRecorderProgram can write it at offset 0
            assertEquals(Layout.SETTINGS_SIZE, LIB.bpf_map__value_size(SyscallRecorderProgram.map(obj, ".rodata")));

            Pointer events = SyscallRecorderProgram.map(obj, SyscallRecorderProgram.MAP_EVENTS);
            assertEquals(Layout.CX_EVENTS_SIZE, LIB.bpf_map__max_entries(events));
            assertEquals(0, Layout.CX_EVENTS_SIZE & (Layout.CX_EVENTS_SIZE - 1), "ring buffer size is a power of two");
            Pointer drops = SyscallRecorderProgram.map(obj, SyscallRecorderProgram.MAP_DROPS);
            assertEquals(Layout.DROPS_KEY_SIZE, LIB.bpf_map__key_size(drops));
            assertEquals(Layout.DROPS_VALUE_SIZE, LIB.bpf_map__value_size(drops));
            assertEquals(Layout.CX_MAX_SLOTS * Layout.CX_EVENT_TYPES, LIB.bpf_map__max_entries(drops));

            for (String prog : new String[] {"sys_enter_btf", "sys_enter_raw", "cgroup_mkdir_btf",
                    "cgroup_mkdir_raw", "cgroup_rmdir_btf", "cgroup_rmdir_raw", "sched_exec_btf", "sched_exec_raw",
                    "sched_fork_btf", "sched_fork_raw", "sched_exit_btf", "sched_exit_raw"}) {
                assertNotNull(LIB.bpf_object__find_program_by_name(obj, prog), prog);
            }
        } finally {
            LIB.bpf_object__close(obj);
        }
    }

    @Test
    void missingMapIsReportedWithFunctionAndErrno() {
        Pointer obj = SyscallRecorderProgram.openObject(SyscallRecorderProgram.embeddedObject());
        try {
            BpfException e = assertThrows(BpfException.class, () -> SyscallRecorderProgram.map(obj, "no_such_map"));
            assertEquals("bpf_object__find_map_by_name", e.function());
            assertEquals(Libbpf.ENOENT, e.errno());
            assertTrue(e.getMessage().startsWith("bpf_object__find_map_by_name: No such file or directory (errno 2)"),
                    e.getMessage());
        } finally {
            LIB.bpf_object__close(obj);
        }
    }

    @Test
    void slotCountsHelpers() {
        long[] nat = new long[Layout.CX_NR_SYSCALLS];
        nat[309] = 5;
        nat[0] = 1;
        long[] zero = new long[Layout.CX_NR_SYSCALLS];
        SlotCounts c = new SlotCounts(nat, zero, zero, zero, 2);
        assertEquals(Map.of(0, 1L, 309, 5L), SlotCounts.nonZero(nat));
        assertEquals(8, c.total());
        assertEquals(AttachMethod.RAW_TRACEPOINT, AttachMethod.fromReportName("raw_tracepoint"));
        assertEquals("tp_btf", AttachMethod.TP_BTF.reportName());
    }
}
