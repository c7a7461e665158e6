package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.Json;
import io.contxray.model.Recording;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeccompProfileBuilderTest {
    /** The native ALLOW rule: the recorded names plus the runtime's allowance. */
    static SeccompRule nativeAllow(List<String> recorded) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(recorded);
        names.addAll(SeccompProfileBuilder.RUNTIME_ALLOWANCE);
        return SeccompRule.allow(List.copyOf(names));
    }

    private static final SeccompRule CLONE3_ENOSYS = SeccompRule.errno(List.of("clone3"), 38);

    @Test
    void filteredPhaseIsTheCut() {
        // before: prctl, seccomp, read (runtime set-up); filtered: write, execve, clone, read
        Recording rec = Fixtures.x86(Map.of(157, 4L, 317, 2L, 0, 1L), Map.of(1, 5L, 59, 1L, 56, 3L, 0, 9L));
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(rec);
        SeccompProfile p = r.profile();
        assertEquals("SCMP_ACT_ERRNO", p.defaultAction());
        assertEquals(1, p.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64"), p.architectures());
        assertEquals(List.of(
                nativeAllow(List.of("clone", "execve", "read", "write")),
                CLONE3_ENOSYS), p.syscalls());
        assertEquals(List.of(), r.warnings());
        assertEquals(Cut.Kind.SECCOMP_FILTER, Cut.of(rec).kind());
    }

    @Test
    void unconfinedContainerAllowsEverything() {
        Recording rec = Fixtures.x86(Map.of(157, 4L, 317, 2L, 0, 1L, 435, 1L), Map.of());
        SeccompProfile p = SeccompProfileBuilder.build(rec).profile();
        assertEquals(List.of(nativeAllow(List.of("clone3", "prctl", "read", "seccomp"))), p.syscalls(),
                "clone3 seen: allowed, no ENOSYS rule");
        Cut cut = Cut.of(rec);
        assertEquals(Cut.Kind.NONE, cut.kind());
        assertEquals("none", cut.kind().label());
    }

    @Test
    void clone3SeenUnderFilterIsAllowed() {
        SeccompProfile p = SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of(435, 1L, 56, 1L))).profile();
        assertEquals(List.of(nativeAllow(List.of("clone", "clone3"))), p.syscalls());
    }

    @Test
    void compatRuleOnX86_64() {
        // i386: 11 execve, 102 socketcall, 318 getcpu
        Recording rec = Fixtures.recording("x86_64", Map.of(), Map.of(0, 1L), Map.of(11, 1L), Map.of(102, 2L, 318, 1L));
        SeccompProfile p = SeccompProfileBuilder.build(rec).profile();
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), p.architectures());
        assertEquals(List.of(
                nativeAllow(List.of("read")),
                SeccompRule.allow(List.of("getcpu", "socketcall")),
                CLONE3_ENOSYS), p.syscalls(), "the cut applies to compat too: execve was before the filter");
    }

    @Test
    void compatOnAarch64IsAWarning() {
        Recording rec = Fixtures.recording("aarch64", Map.of(), Map.of(56, 1L), Map.of(), Map.of(5, 1L));
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(rec);
        assertEquals(List.of("SCMP_ARCH_AARCH64"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("openat")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("no table"), r.warnings().get(0));
    }

    @Test
    void callsPastTheTableAreAWarningNotARule() {
        Recording x32 = new Recording(Fixtures.registration(), "2026-11-23T01:05:00Z", "x86_64", "tp_btf", Map.of(),
                Map.of(0, 1L), Map.of(), Map.of(), 3L, false, List.of());
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(x32);
        assertEquals(List.of("SCMP_ARCH_X86_64"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("read")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("3 syscall(s) had numbers past every x86_64 table"), r.warnings().get(0));
    }

    @Test
    void x32CallsGetX32NamesUnderTheirOwnArchitecture() {
        int x32 = io.contxray.model.SyscallTable.X32_BIT;
        // x32 getpid (39) and x32-only ioctl (514), beside native read (0)
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(Fixtures.x86(Map.of(),
                Map.of(0, 1L, x32 | 39, 2L, x32 | 514, 1L)));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("read")), SeccompRule.allow(List.of("getpid", "ioctl")), CLONE3_ENOSYS),
                r.profile().syscalls());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void unnamedNumbersAreLeftOutWithAWarning() {
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of(0, 1L, 500, 1L)));
        assertEquals(List.of(nativeAllow(List.of("read")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(List.of("syscall numbers without a name in the x86_64 table are not in the profile: [500]"), r.warnings());
    }

    @Test
    void nothingRecordedAllowsOnlyTheRuntimeAllowanceAndKeepsClone3Fallback() {
        SeccompProfile p = SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of())).profile();
        assertEquals(List.of(nativeAllow(List.of()), CLONE3_ENOSYS), p.syscalls());
    }

    @Test
    void exactJson() throws Exception {
        SeccompProfile p = SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of(1, 1L, 0, 1L))).profile();
        java.util.SortedSet<String> names = new java.util.TreeSet<>(SeccompProfileBuilder.RUNTIME_ALLOWANCE);
        names.addAll(List.of("read", "write"));
        assertEquals("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":" + Json.mapper().writeValueAsString(names) + ",\"action\":\"SCMP_ACT_ALLOW\"},"
                + "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}",
                Json.mapper().writeValueAsString(p));
    }
}
