package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contxray.model.ArgumentValues;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompProfileBuilderTest {
    /** The native ALLOW rule: the recorded names plus the runtime's allowance. */
    static SeccompRule nativeAllow(List<String> recorded) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(recorded);
        names.addAll(SeccompProfileBuilder.RUNTIME_ALLOWANCE);
        return SeccompRule.allow(List.copyOf(names));
    }

    private static final SeccompRule CLONE3_ENOSYS = SeccompRule.errno(List.of("clone3"), 38);
    private static final long MASK = 0x7E020000L;
    private static final long CLONE_NEWNET = 0x40000000L;
    private static final long CLONE_NEWUSER = 0x10000000L;

    /** clone only without namespace flags: Docker's default rule, and what a thread or fork makes. */
    static SeccompRule cloneIf(long flags) {
        return SeccompRule.allowIf("clone", SeccompRule.Arg.maskedEq(0, MASK, flags));
    }

    private static SeccompProfileBuilder.Result build(Recording rec) {
        return SeccompProfileBuilder.build(rec, Set.of(), true);
    }

    /** rec with these argument values of the filtered phase (nr, value, count). */
    private static Recording withValues(Recording r, long[]... values) {
        List<ArgumentValues.Value> v = new java.util.ArrayList<>();
        for (long[] x : values) {
            v.add(new ArgumentValues.Value((int) x[0], true, x[1], x[2]));
        }
        return new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), r.beforeFilterCompat(), r.filteredCompat(), 0, false, List.of(), r.events(),
                r.capabilities(), new ArgumentValues(v, 0));
    }

    @Test
    void filteredPhaseIsTheCut() {
        // before: prctl, seccomp, read (runtime set-up); filtered: write, execve, clone, read
        Recording rec = withValues(Fixtures.x86(Map.of(157, 4L, 317, 2L, 0, 1L), Map.of(1, 5L, 59, 1L, 56, 3L, 0, 9L)),
                new long[] {56, 0, 3});
        SeccompProfileBuilder.Result r = build(rec);
        SeccompProfile p = r.profile();
        assertEquals("SCMP_ACT_ERRNO", p.defaultAction());
        assertEquals(1, p.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64"), p.architectures());
        assertEquals(List.of(
                nativeAllow(List.of("execve", "read", "write")),
                cloneIf(0),
                CLONE3_ENOSYS), p.syscalls());
        assertEquals(List.of(), r.warnings());
        assertEquals(Cut.Kind.SECCOMP_FILTER, Cut.of(rec).kind());
    }

    @Test
    void unconfinedContainerAllowsEverythingDockerWould() {
        Recording rec = Fixtures.x86(Map.of(157, 4L, 317, 2L, 0, 1L, 435, 1L), Map.of());
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(rec, Set.of("SYS_ADMIN"), true);
        assertEquals(List.of(nativeAllow(List.of("clone3", "prctl", "read", "seccomp"))), r.profile().syscalls(),
                "clone3 seen with CAP_SYS_ADMIN recommended: allowed, no ENOSYS rule");
        // without CAP_SYS_ADMIN Docker's default answers clone3 with ENOSYS: so does the profile
        SeccompProfileBuilder.Result without = build(rec);
        assertEquals(List.of(nativeAllow(List.of("prctl", "read", "seccomp")), CLONE3_ENOSYS), without.profile().syscalls());
        assertEquals(List.of("clone3 left out of the profile: Docker's default profile allows it only with CAP_SYS_ADMIN, "
                + "which the workload was not seen to need"), without.warnings());
        Cut cut = Cut.of(rec);
        assertEquals(Cut.Kind.NONE, cut.kind());
        assertEquals("none", cut.kind().label());
    }

    @Test
    void cloneWithoutRecordedValuesGetsDockersRule() {
        SeccompProfileBuilder.Result r = SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of(435, 1L, 56, 1L)),
                Set.of("SYS_ADMIN"), true);
        assertEquals(List.of(nativeAllow(List.of("clone3")), cloneIf(0)), r.profile().syscalls());
        assertEquals(List.of("clone: allowed only as Docker's default profile allows it, for none (the recording has no "
                + "argument values (recorded on another architecture than x86_64 or by an older contxray))"), r.warnings());
        // argument rules off: clone with any argument
        assertEquals(List.of(nativeAllow(List.of("clone", "clone3"))),
                SeccompProfileBuilder.build(Fixtures.x86(Map.of(), Map.of(435, 1L, 56, 1L)), Set.of("SYS_ADMIN"), false)
                        .profile().syscalls());
    }

    @Test
    void namespaceFlagsOfCloneOnlyWhereUsedAndWithSysAdmin() {
        Recording rec = withValues(Fixtures.x86(Map.of(), Map.of(56, 5L)), new long[] {56, 0, 4}, new long[] {56, CLONE_NEWNET, 1});
        assertEquals(List.of(nativeAllow(List.of()), cloneIf(0), cloneIf(CLONE_NEWNET), CLONE3_ENOSYS),
                SeccompProfileBuilder.build(rec, Set.of("SYS_ADMIN"), true).profile().syscalls());
        SeccompProfileBuilder.Result without = build(rec);
        assertEquals(List.of(nativeAllow(List.of()), cloneIf(0), CLONE3_ENOSYS), without.profile().syscalls());
        assertEquals(List.of("clone(CLONE_NEWNET) left out of the profile: Docker's default profile allows it only with "
                + "CAP_SYS_ADMIN, which the workload was not seen to need"), without.warnings());
        assertEquals("CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWNET", ArgumentFilters.cloneFlags(CLONE_NEWNET | CLONE_NEWUSER | 0x20000));
    }

    @Test
    void personasOutsideDockersFiveAreLeftOut() {
        // 135 personality: PER_LINUX (0) and ADDR_NO_RANDOMIZE (0x40000)
        SeccompProfileBuilder.Result r = build(withValues(Fixtures.x86(Map.of(), Map.of(135, 2L)),
                new long[] {135, 0, 1}, new long[] {135, 0x40000, 1}));
        assertEquals(List.of(nativeAllow(List.of()), SeccompRule.allowIf("personality", new SeccompRule.Arg(0, 0, "SCMP_CMP_EQ")),
                CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(List.of("personality(0x40000) left out of the profile: Docker's default profile never allows it"),
                r.warnings());
        // unknown values: Docker's five
        SeccompProfileBuilder.Result unknown = build(Fixtures.x86(Map.of(), Map.of(135, 2L)));
        assertEquals(5, unknown.profile().syscalls().stream().filter(x -> x.names().equals(List.of("personality"))).count());
    }

    @Test
    void capabilityGatedSyscallsNeedTheirCapability() {
        // 165 mount, 161 chroot, 169 reboot
        Recording rec = Fixtures.x86(Map.of(), Map.of(165, 1L, 161, 1L, 169, 1L, 0, 1L));
        assertEquals(List.of(nativeAllow(List.of("chroot", "read")), CLONE3_ENOSYS),
                SeccompProfileBuilder.build(rec, Set.of("SYS_CHROOT"), true).profile().syscalls());
        assertEquals(List.of(nativeAllow(List.of("chroot", "mount", "read", "reboot")), CLONE3_ENOSYS),
                SeccompProfileBuilder.build(rec, Set.of("SYS_CHROOT", "SYS_ADMIN", "SYS_BOOT"), true).profile().syscalls());
    }

    @Test
    void compatCloneIsNarrowedToDockersRuleOnEveryArch() {
        // i386 120 clone: its flags are not recorded; the name would allow native clone too
        Recording rec = Fixtures.recording("x86_64", Map.of(), Map.of(0, 1L), Map.of(), Map.of(120, 1L, 318, 1L));
        assertEquals(List.of(nativeAllow(List.of("read")), cloneIf(0), SeccompRule.allow(List.of("getcpu")), CLONE3_ENOSYS),
                build(rec).profile().syscalls());
    }

    @Test
    void compatRuleOnX86_64() {
        // i386: 11 execve, 102 socketcall, 318 getcpu
        Recording rec = Fixtures.recording("x86_64", Map.of(), Map.of(0, 1L), Map.of(11, 1L), Map.of(102, 2L, 318, 1L));
        SeccompProfile p = build(rec).profile();
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), p.architectures());
        assertEquals(List.of(
                nativeAllow(List.of("read")),
                SeccompRule.allow(List.of("getcpu", "socketcall")),
                CLONE3_ENOSYS), p.syscalls(), "the cut applies to compat too: execve was before the filter");
    }

    @Test
    void compatOnAarch64IsAWarning() {
        Recording rec = Fixtures.recording("aarch64", Map.of(), Map.of(56, 1L), Map.of(), Map.of(5, 1L));
        SeccompProfileBuilder.Result r = build(rec);
        assertEquals(List.of("SCMP_ARCH_AARCH64"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("openat")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("no table"), r.warnings().get(0));
    }

    @Test
    void callsPastTheTableAreAWarningNotARule() {
        Recording x32 = new Recording(Fixtures.registration(), "2026-11-23T01:05:00Z", "x86_64", "tp_btf", Map.of(),
                Map.of(0, 1L), Map.of(), Map.of(), 3L, false, List.of());
        SeccompProfileBuilder.Result r = build(x32);
        assertEquals(List.of("SCMP_ARCH_X86_64"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("read")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("3 syscall(s) had numbers past every x86_64 table"), r.warnings().get(0));
    }

    @Test
    void x32CallsGetX32NamesUnderTheirOwnArchitecture() {
        int x32 = io.contxray.model.SyscallTable.X32_BIT;
        // x32 getpid (39) and x32-only ioctl (514), beside native read (0)
        SeccompProfileBuilder.Result r = build(Fixtures.x86(Map.of(),
                Map.of(0, 1L, x32 | 39, 2L, x32 | 514, 1L)));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"), r.profile().architectures());
        assertEquals(List.of(nativeAllow(List.of("read")), SeccompRule.allow(List.of("getpid", "ioctl")), CLONE3_ENOSYS),
                r.profile().syscalls());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void unnamedNumbersAreLeftOutWithAWarning() {
        SeccompProfileBuilder.Result r = build(Fixtures.x86(Map.of(), Map.of(0, 1L, 500, 1L)));
        assertEquals(List.of(nativeAllow(List.of("read")), CLONE3_ENOSYS), r.profile().syscalls());
        assertEquals(List.of("syscall numbers without a name in the x86_64 table are not in the profile: [500]"), r.warnings());
    }

    @Test
    void nothingRecordedAllowsOnlyTheRuntimeAllowanceAndKeepsClone3Fallback() {
        SeccompProfile p = build(Fixtures.x86(Map.of(), Map.of())).profile();
        assertEquals(List.of(nativeAllow(List.of()), CLONE3_ENOSYS), p.syscalls());
    }

    @Test
    void exactJson() throws Exception {
        SeccompProfile p = build(Fixtures.x86(Map.of(), Map.of(1, 1L, 0, 1L))).profile();
        java.util.SortedSet<String> names = new java.util.TreeSet<>(SeccompProfileBuilder.RUNTIME_ALLOWANCE);
        names.addAll(List.of("read", "write"));
        assertEquals("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":" + Json.mapper().writeValueAsString(names) + ",\"action\":\"SCMP_ACT_ALLOW\"},"
                + "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}",
                Json.mapper().writeValueAsString(p));
    }
}
