package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.ArgumentValues;
import io.contxray.model.CapabilityChecks;
import io.contxray.model.CapabilityChecks.Check;
import io.contxray.model.EventStats;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilitiesBuilderTest {
    static final String HOOK = "tracepoint capability:cap_capable";

    /** x86_64: 92 chown, 105 setuid, 116 setgroups, 62 kill, 126 capset, 165 mount, 0 read. */
    static Recording recording(Map<Integer, Long> before, Map<Integer, Long> filtered, CapabilityChecks checks) {
        Recording r = Fixtures.x86(before, filtered);
        return new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), r.beforeFilterCompat(), r.filteredCompat(), 0, false, List.of(), EventStats.NONE, checks);
    }

    @Test
    void everyRuleNamesAKnownCapabilityAndEachSyscallOnce() {
        Set<String> seen = new HashSet<>();
        for (CapabilityInference.Rule rule : CapabilityInference.SYSCALL_RULES) {
            assertTrue(rule.capability().matches("[A-Z_]+"), rule.capability());
            for (String s : rule.syscalls()) {
                assertTrue(seen.add(s), s + " in two rules");
                assertEquals(rule, CapabilityInference.forSyscall(s));
            }
        }
        assertEquals("SYS_ADMIN", CapabilityInference.forSyscall("pivot_root").capability());
        assertEquals("SETGID", CapabilityInference.forSyscall("setgroups32").capability());
        assertEquals(CapabilityInference.Strength.POSSIBLE, CapabilityInference.forSyscall("tgkill").strength());
        assertNull(CapabilityInference.forSyscall("read"));
    }

    @Test
    void infersFromSyscallsUnderTheFilterAndFromEvents() {
        // mount before the filter is the runtime's; chown, setuid, kill under it are the workload's
        CapabilitiesBuilder b = new CapabilitiesBuilder(recording(Map.of(165, 1L), Map.of(92, 3L, 105, 1L, 62, 2L, 0, 9L),
                CapabilityChecks.NONE));
        b.accept(NetworkBuilderTest.net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t1"));
        b.accept(NetworkBuilderTest.net("listen", "0.0.0.0", 8080, "0.0.0.0", 0, "t2"));
        b.accept(FilesBuilderTest.open("/etc/shadow", List.of("read"), "EACCES", "app", "t3"));
        b.accept(FilesBuilderTest.open("/etc/shadow", List.of("read"), "EACCES", "app", "t4"));
        b.accept(FilesBuilderTest.op("chmod", "/srv/x", null, "EPERM"));
        b.accept(FilesBuilderTest.open("/nope", List.of("read"), "ENOENT", "app", "t5"));
        Capabilities c = b.build();

        assertEquals("inferred from syscalls and events", c.method());
        assertEquals(List.of("CHOWN", "NET_BIND_SERVICE", "SETUID"), c.recommended());
        assertEquals("--cap-drop ALL --cap-add CHOWN --cap-add NET_BIND_SERVICE --cap-add SETUID", c.dockerFlags());
        assertEquals(new Capabilities.Capability("CHOWN", "inferred from syscalls", 3, List.of("chown x3"), null),
                c.required().get(0));
        assertEquals(new Capabilities.Capability("NET_BIND_SERVICE", "inferred from events", 1,
                List.of("listen ipv4 0.0.0.0:80"), null), c.required().get(1));
        assertEquals(List.of("DAC_OVERRIDE", "FOWNER", "KILL"), c.possible().stream().map(Capabilities.Capability::capability).toList());
        assertEquals(List.of("open /etc/shadow: EACCES x2"), c.possible().get(0).evidence());
        assertEquals(List.of("chmod /srv/x: EPERM"), c.possible().get(1).evidence());
        assertEquals(List.of(), c.deniedChecks());
    }

    @Test
    void withoutAFilterAllSyscallsCount() {
        Capabilities c = new CapabilitiesBuilder(recording(Map.of(165, 1L, 116, 1L), Map.of(), CapabilityChecks.NONE)).build();
        assertEquals(List.of("SETGID", "SYS_ADMIN"), c.recommended());
    }

    /** runc's setgroups, setgid and setuid under the filter (no_new_privileges off) in every recording. */
    private static final Map<Integer, Long> RUNC_SET_IDS = Map.of(116, 1L, 106, 1L, 105, 1L, 0, 5L);

    private static Recording withArgumentValues(Map<Integer, Long> filtered, ArgumentValues values) {
        Recording r = recording(Map.of(), filtered, CapabilityChecks.NONE);
        return new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), r.beforeFilterCompat(), r.filteredCompat(), 0, false, List.of(), EventStats.NONE,
                CapabilityChecks.NONE, values);
    }

    @Test
    void theRuntimesOwnSetIdCallsGrantNothing() {
        // the kernel counted set-id calls apart from the runtime's, and the workload made none
        Capabilities c = new CapabilitiesBuilder(withArgumentValues(RUNC_SET_IDS,
                new ArgumentValues(List.of(new ArgumentValues.Value(41, true, 2, 1)), 0, true))).build();
        assertEquals(List.of(), c.recommended());
    }

    @Test
    void theWorkloadsSetIdCallsStillGrant() {
        // an nginx-like worker: setgroups, setgid(101) and setuid(101) of its own under the filter
        Capabilities c = new CapabilitiesBuilder(withArgumentValues(Map.of(116, 2L, 106, 2L, 105, 2L),
                new ArgumentValues(List.of(new ArgumentValues.Value(105, true, 101, 1),
                        new ArgumentValues.Value(106, true, 101, 1), new ArgumentValues.Value(116, true, 0, 1),
                        new ArgumentValues.Value(105, false, 0, 4)), 0, true))).build();
        assertEquals(List.of("SETGID", "SETUID"), c.recommended());
        assertEquals(new Capabilities.Capability("SETUID", "inferred from syscalls", 1, List.of("setuid"), null),
                c.required().get(1));
        assertEquals(List.of("setgid", "setgroups"), c.required().get(0).evidence());
    }

    @Test
    void withoutTheWorkloadsOwnCountsEverySetIdCallCounts() {
        // an older recording, values the kernel's table had no room for, another architecture
        for (ArgumentValues values : List.of(new ArgumentValues(List.of(), 0),
                new ArgumentValues(List.of(), 3, true))) {
            Capabilities c = new CapabilitiesBuilder(withArgumentValues(RUNC_SET_IDS, values)).build();
            assertEquals(List.of("SETGID", "SETUID"), c.recommended(), values.toString());
        }
        Recording x86 = withArgumentValues(RUNC_SET_IDS, new ArgumentValues(List.of(), 0, true));
        Recording arm = new Recording(x86.registration(), x86.stoppedAt(), "aarch64", x86.attachMethod(),
                Map.of(), Map.of(146, 1L), Map.of(), Map.of(), 0, false, List.of(), EventStats.NONE,
                CapabilityChecks.NONE, x86.argumentValues());
        assertEquals(List.of("SETUID"), new CapabilitiesBuilder(arm).build().recommended()); // 146: aarch64's setuid
    }

    /** The kernel counts exactly the native calls of the SETUID and SETGID rules (bpf/contxray.h). */
    @Test
    void theKernelsSetIdCallsAreTheRulesNativeCalls() throws IOException {
        String header = Files.readString(Path.of("..", "bpf", "contxray.h"));
        int first = Integer.parseInt(define(header, "CX_NR_SETUID"));
        int last = Integer.parseInt(define(header, "CX_NR_SETFSGID"));
        long mask = Long.decode(define(header, "CX_SET_ID_CALLS"));
        io.contxray.model.SyscallTable table = io.contxray.model.SyscallTable.forArch("x86_64");
        Set<String> fromKernel = new TreeSet<>();
        for (int nr = first; nr <= last; nr++) {
            if ((mask >> (nr - first) & 1) != 0) {
                fromKernel.add(table.name(nr));
            }
        }
        Set<String> fromRules = new TreeSet<>();
        CapabilityInference.SYSCALL_RULES.forEach(r -> r.syscalls().stream()
                .filter(CapabilityInference::isSetIdCall).forEach(fromRules::add));
        assertEquals(fromRules, fromKernel);
        assertEquals(9, fromKernel.size());
    }

    private static String define(String header, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#define " + name + " (\\S+)").matcher(header);
        assertTrue(m.find(), name + " not in contxray.h");
        return m.group(1);
    }

    @Test
    void exactChecksDecideRuntimeAndNoAuditIgnoredDeniedListed() {
        CapabilityChecks checks = new CapabilityChecks(HOOK, List.of(
                new Check("SETUID", true, "workload", 4),
                new Check("CHOWN", true, "workload", 2),
                new Check("SYS_ADMIN", true, "runtime", 7),
                new Check("SYS_ADMIN", false, "runtime", 1),
                new Check("NET_ADMIN", false, "workload", 1),
                new Check("SYS_ADMIN", true, "no-audit", 40),
                new Check("SYS_PTRACE", false, "no-audit", 2)));
        // setuid and kill seen too: setuid's call becomes evidence, kill's inference is not used
        CapabilitiesBuilder b = new CapabilitiesBuilder(recording(Map.of(), Map.of(105, 2L, 62, 1L), checks));
        b.accept(NetworkBuilderTest.net("listen", "0.0.0.0", 80, "0.0.0.0", 0, "t1"));
        Capabilities c = b.build();

        assertEquals(HOOK, c.method());
        assertEquals(List.of("CHOWN", "SETUID"), c.recommended(), "exact: the listen below 1024 needed no check");
        assertEquals(new Capabilities.Capability("SETUID", HOOK, 4, List.of("setuid x2"), null), c.required().get(1));
        assertEquals(new Capabilities.Capability("CHOWN", HOOK, 2, List.of(), null), c.required().get(0));
        assertEquals(List.of(new Capabilities.Capability("NET_ADMIN", HOOK, 1, List.of(), null)), c.deniedChecks());
        assertEquals(List.of(new Capabilities.Capability("SYS_ADMIN", HOOK, 1, List.of(), false),
                new Capabilities.Capability("SYS_ADMIN", HOOK, 7, List.of(), true)), c.ignoredRuntimeChecks());
        assertEquals(List.of(new Capabilities.Capability("SYS_ADMIN", HOOK, 40, List.of(), true),
                new Capabilities.Capability("SYS_PTRACE", HOOK, 2, List.of(), false)), c.ignoredNoAuditChecks(),
                "granted without auditing (overcommit): not recommended");
        assertEquals(List.of(), c.possible());
    }

    @Test
    void evidenceIsBoundedTheCountIsNot() {
        CapabilitiesBuilder b = new CapabilitiesBuilder(recording(Map.of(), Map.of(), CapabilityChecks.NONE));
        for (int i = 0; i < CapabilitiesBuilder.MAX_EVIDENCE + 5; i++) {
            b.accept(FilesBuilderTest.open("/secret/" + i, List.of("read"), "EACCES", "app", "t"));
        }
        Capabilities.Capability dac = b.build().possible().get(0);
        assertEquals(CapabilitiesBuilder.MAX_EVIDENCE + 5, dac.count());
        assertEquals(CapabilitiesBuilder.MAX_EVIDENCE + 1, dac.evidence().size());
        assertEquals("... 5 more", dac.evidence().get(CapabilitiesBuilder.MAX_EVIDENCE));
    }

    @TempDir
    Path tmp;

    @Test
    void capabilitiesJsonContent() throws IOException {
        CapabilityChecks checks = new CapabilityChecks(HOOK, List.of(new Check("SETUID", true, "workload", 4),
                new Check("CHOWN", true, "workload", 2)));
        Capabilities c = new CapabilitiesBuilder(recording(Map.of(), Map.of(), checks)).build();
        Path file = CapabilitiesFile.of("c0ffee", "nginx:1.27", c).writeTo(tmp);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JsonNode json = Json.mapper().readTree(file.toFile());
        assertEquals("contxray.capabilities/v1", json.get("schema").asText());
        assertEquals("c0ffee", json.get("container").asText());
        assertEquals("nginx:1.27", json.get("image").asText());
        assertEquals(HOOK, json.get("method").asText());
        assertEquals("[\"ALL\"]", json.get("drop").toString());
        assertEquals("[\"CHOWN\",\"SETUID\"]", json.get("add").toString());
        assertEquals("--cap-drop ALL --cap-add CHOWN --cap-add SETUID", json.get("dockerFlags").asText());
        assertEquals("[\"CAP_CHOWN\",\"CAP_SETUID\"]", json.get("ociCapabilities").toString());
        assertEquals(4, json.get("details").get("SETUID").get("count").asLong());
        assertEquals(HOOK, json.get("details").get("SETUID").get("method").asText());
    }

    @Test
    void nothingToAddIsJustDropAll() {
        CapabilitiesFile f = CapabilitiesFile.of(null, "busybox", "validated by removal", new TreeMap<>());
        assertEquals("--cap-drop ALL", f.dockerFlags());
        assertEquals(List.of(), f.add());
        assertEquals(List.of(), f.ociCapabilities());
        assertNull(f.container());
        assertNotNull(f.details());
    }
}
