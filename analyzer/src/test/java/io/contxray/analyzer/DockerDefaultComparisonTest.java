package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.contxray.model.ArgumentValues;
import io.contxray.model.Recording;
import io.contxray.model.SyscallTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DockerDefaultComparisonTest {
    /** Where install/deps.sh puts Debian's copy of Docker's profiles/seccomp/default.json. */
    static final Path DOCKER_DEFAULT = Path.of(System.getenv().getOrDefault("CONTXRAY_TEST_CACHE", "/var/cache/contxray-test"),
            "docker", "default.json");

    private static final long MASK = 0x7E020000L;

    /** Docker's format, in small: the shapes of its real rules. */
    private static final String SMALL = """
            {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
              {"names": ["read", "socket"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "valueTwo": 0,
                "op": "SCMP_CMP_MASKED_EQ"}], "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390x"]}},
              {"names": ["clone", "mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
              {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
              {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
              {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
            ]}""";

    private static DockerDefaultComparison small() throws IOException {
        return DockerDefaultComparison.parse(SMALL.getBytes(StandardCharsets.UTF_8));
    }

    private static SeccompProfile profile(SeccompRule... rules) {
        return new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64"), List.of(rules));
    }

    private static SeccompRule cloneIf(long flags) {
        return SeccompRule.allowIf("clone", SeccompRule.Arg.maskedEq(0, MASK, flags));
    }

    private static List<String> wider(DockerDefaultComparison d, SeccompProfile p, Set<String> caps) {
        return d.wider(p, caps, "amd64", "6.1.0").stream().map(DockerDefaultComparison.Finding::line).toList();
    }

    @Test
    void resolvesCapabilitiesArchesAndKernelsAsDockerDoes() throws IOException {
        DockerDefaultComparison d = small();
        SeccompProfile p = profile(SeccompRule.allow(List.of("read", "socket", "arch_prctl", "ptrace", "mount")));
        assertEquals(List.of("mount: the profile allows it with any argument, Docker's default refuses it"), wider(d, p, Set.of()));
        assertEquals(List.of(), wider(d, p, Set.of("SYS_ADMIN")));
        assertEquals(List.of("arch_prctl: the profile allows it with any argument, Docker's default refuses it"),
                d.wider(profile(SeccompRule.allow(List.of("arch_prctl"))), Set.of(), "arm64", "6.1").stream()
                        .map(DockerDefaultComparison.Finding::line).toList());
        assertEquals(1, d.wider(profile(SeccompRule.allow(List.of("ptrace"))), Set.of(), "amd64", "4.4.0").size(),
                "ptrace needs kernel 4.8");
        assertEquals(List.of("(default action): the profile allows it with SCMP_ACT_ALLOW for every syscall it does not "
                + "list, Docker's default answers them with SCMP_ACT_ERRNO"), wider(d, new SeccompProfile("SCMP_ACT_ALLOW", 1,
                List.of(), List.of()), Set.of()));
    }

    @Test
    void argumentConditionsMustImplyDockers() throws IOException {
        DockerDefaultComparison d = small();
        assertEquals(List.of(), wider(d, profile(cloneIf(0)), Set.of()));
        assertEquals(List.of("clone: the profile allows it with any argument, Docker's default allows it only when "
                + "(arg0 & 0x7e020000) == 0x0"), wider(d, profile(SeccompRule.allow(List.of("clone"))), Set.of()));
        assertEquals(List.of("clone: the profile allows it when (arg0 & 0x7e020000) == 0x40000000, Docker's default "
                + "allows it only when (arg0 & 0x7e020000) == 0x0"), wider(d, profile(cloneIf(0), cloneIf(0x40000000L)), Set.of()));
        assertEquals(List.of(), wider(d, profile(cloneIf(0x40000000L)), Set.of("SYS_ADMIN")), "CAP_SYS_ADMIN: any clone");
        // equality implies a mask it meets; a narrower mask does not
        assertEquals(List.of(), wider(d, profile(SeccompRule.allowIf("clone", new SeccompRule.Arg(0, 0x11L, "SCMP_CMP_EQ"))), Set.of()));
        assertEquals(1, wider(d, profile(SeccompRule.allowIf("clone", SeccompRule.Arg.maskedEq(0, 0x20000L, 0))), Set.of()).size());
        assertEquals(List.of(), wider(d, profile(SeccompRule.allowIf("personality", new SeccompRule.Arg(0, 8, "SCMP_CMP_EQ"))), Set.of()));
        assertEquals(1, wider(d, profile(SeccompRule.allowIf("personality", new SeccompRule.Arg(0, 0x40000, "SCMP_CMP_EQ"))), Set.of()).size());
        assertEquals(1, wider(d, profile(SeccompRule.allowIf("personality", new SeccompRule.Arg(1, 8, "SCMP_CMP_EQ"))), Set.of()).size(),
                "a condition on another argument implies nothing");
        assertEquals(List.of(), wider(d, profile(SeccompRule.errno(List.of("clone3", "mount"), 38)), Set.of()),
                "an ERRNO rule allows nothing");
    }

    @Test
    void badFilesAreOneLineErrors() {
        assertTrue(assertThrows(IOException.class, () -> DockerDefaultComparison.parse("{".getBytes(StandardCharsets.UTF_8)))
                .getMessage().startsWith("not JSON: "));
        assertEquals("not a Docker seccomp profile (no defaultAction and syscalls list)", assertThrows(IOException.class,
                () -> DockerDefaultComparison.parse("{\"syscalls\": 3}".getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    // ---- against the real file ----

    private static DockerDefaultComparison real() throws IOException {
        assumeTrue(Files.isRegularFile(DOCKER_DEFAULT), "Docker's default profile is not at " + DOCKER_DEFAULT
                + " (install/deps.sh puts it there)");
        return DockerDefaultComparison.parse(Files.readAllBytes(DOCKER_DEFAULT));
    }

    @Test
    void theGatesTableIsDockersOwn() throws IOException {
        Map<String, Set<String>> gates = new TreeMap<>(real().capabilityGates());
        gates.remove("clone"); // narrowed by argument rules instead
        assertEquals(gates, new TreeMap<>(DockerGates.CAPS));
    }

    /**
     * A recording that made every x86_64 syscall Docker's default allows to some container (a
     * recording made under it sees no other: seccomp refuses a call before the tracepoint), clone with and without namespace flags and
     * personality with Docker's personas and ADDR_NO_RANDOMIZE, under each capability set: its
     * profile is never wider than Docker's default for that set. The same profile with argument
     * rules off is, on clone and personality: the comparison can fail.
     */
    @Test
    void generatedProfilesAreNeverWiderThanDockersDefault() throws IOException {
        DockerDefaultComparison d = real();
        SyscallTable table = SyscallTable.forArch("x86_64");
        Map<Integer, Long> all = new HashMap<>();
        for (int nr = 0; nr < 512; nr++) {
            if (table.has(nr) && d.allowed(table.name(nr), ALL_CAPS, "amd64", "6.1") != null) {
                all.put(nr, 1L);
            }
        }
        Recording r = Fixtures.x86(Map.of(), all);
        List<ArgumentValues.Value> values = new ArrayList<>();
        for (long v : new long[] {0, 0x40000000L, 0x10000000L | 0x20000L}) {
            values.add(new ArgumentValues.Value(56, true, v, 1));
        }
        for (long v : new long[] {0, 8, 0x40000, 0xffffffffL}) {
            values.add(new ArgumentValues.Value(135, true, v, 1));
        }
        values.add(new ArgumentValues.Value(41, true, 17, 1));
        Recording rec = new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), Map.of(), Map.of(), 0, false, List.of(), r.events(), r.capabilities(),
                new ArgumentValues(values, 0));
        List<Set<String>> capSets = List.of(Set.of(), Set.of("NET_RAW", "CHOWN"), Set.of("SYS_ADMIN"), Set.of("SYS_PTRACE"),
                new TreeSet<>(DockerGates.CAPS.values().stream().flatMap(Set::stream).toList()));
        for (Set<String> caps : capSets) {
            SeccompProfile p = SeccompProfileBuilder.build(rec, caps, true).profile();
            List<String> findings = d.wider(p, caps, "amd64", "6.1").stream()
                    .map(DockerDefaultComparison.Finding::line).toList();
            assertEquals(List.of(), findings, "capabilities " + caps);
        }
        // off: wider on clone and personality, by name
        SeccompProfile off = SeccompProfileBuilder.build(rec, Set.of(), false).profile();
        List<String> wider = d.wider(off, Set.of(), "amd64", "6.1").stream().map(DockerDefaultComparison.Finding::syscall).toList();
        assertTrue(wider.contains("clone") && wider.contains("personality"), wider.toString());
        assertFalse(wider.contains("socket"));
    }

    private static final Set<String> ALL_CAPS = Set.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE", "CAP_SYS_BOOT",
            "CAP_SYS_RAWIO", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_CHROOT",
            "CAP_SYSLOG", "CAP_DAC_READ_SEARCH");

    /** Found by AnalyzerInputFuzzTest: a minKernel past int and a capability without CAP_ threw unchecked exceptions. */
    @Test
    void aHugeMinKernelAndACapabilityWithoutItsPrefixAreUsable() throws IOException {
        DockerDefaultComparison d = DockerDefaultComparison.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
                  {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99999999999.1"}},
                  {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["X"]}}]}""".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("ptrace: the profile allows it with any argument, Docker's default refuses it"),
                wider(d, profile(SeccompRule.allow(List.of("ptrace"))), Set.of()));
        assertEquals(Map.of("mount", Set.of("X")), d.capabilityGates());
        assertTrue(DockerDefaultComparison.compareVersions("100000000000", "99999999999") > 0);
    }
}
