package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProfileToolsTest {
    static SeccompProfile profile(String... names) {
        return new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64"),
                List.of(SeccompRule.allow(List.of(names)), SeccompRule.errno(List.of("clone3"), 38)));
    }

    static SeccompProfile roundTrip(SeccompProfile p) throws IOException {
        return SeccompProfiles.parse(Json.mapper().writeValueAsBytes(p));
    }

    @Test
    void readsBackWhatTheAnalyzerWrites() throws Exception {
        SeccompProfile p = profile("read", "write");
        assertEquals(p, roundTrip(p));
        assertEquals(new TreeSet<>(List.of("read", "write")), SeccompProfiles.allowed(p));
    }

    @Test
    void refusesWhatItWouldMisread() {
        String[][] cases = {
            {"{oops", "not valid JSON"},
            {"[]", "not a JSON object"},
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}", "not a deny action"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0}]}]}", "args"},
            {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", "not supported"},
        };
        for (String[] c : cases) {
            IOException e = assertThrows(IOException.class, () -> SeccompProfiles.parse(c[0].getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void mergeKeepsEverySyscallWithItsCoverage() {
        ProfileMerge.Result r = ProfileMerge.merge(List.of(
                new ProfileMerge.Input("a", profile("read", "write", "getcpu")),
                new ProfileMerge.Input("b", profile("read", "write", "uname"))));
        assertEquals(new TreeSet<>(List.of("getcpu", "read", "uname", "write")), SeccompProfiles.allowed(r.profile()));
        assertEquals(Map.of("getcpu", 1, "read", 2, "uname", 1, "write", 2), r.coverage().seenIn());
        assertEquals(2, r.coverage().recordings());
        assertEquals(List.of("a", "b"), r.coverage().sources());
        assertEquals("1/2", ProfileMerge.fractions(r.coverage()).get("uname"));
        // clone3 still answers ENOSYS; the profile format is the analyzer's
        assertEquals(SeccompRule.errno(List.of("clone3"), 38), r.profile().syscalls().get(1));
        assertEquals(List.of("SCMP_ARCH_X86_64"), r.profile().architectures());
    }

    @Test
    void mergeUnionsArchitecturesAndKeepsAnAllowedClone3() {
        SeccompProfile compat = new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                List.of(SeccompRule.allow(List.of("clone3", "read"))));
        ProfileMerge.Result r = ProfileMerge.merge(List.of(new ProfileMerge.Input("a", profile("read")),
                new ProfileMerge.Input("b", compat)));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), r.profile().architectures());
        assertEquals(1, r.profile().syscalls().size(), "no ENOSYS rule once clone3 is allowed");
        assertThrows(IllegalArgumentException.class, () -> ProfileMerge.merge(List.of()));
    }

    @Test
    void diffFindsNewSyscallsAndExecs() throws Exception {
        JsonNode oldReport = Json.mapper().readTree("{\"processes\":{\"execs\":[{\"filename\":\"/bin/sh\"},"
                + "{\"filename\":\"/usr/bin/runc\",\"runtime\":true}]}}");
        JsonNode newReport = Json.mapper().readTree("{\"processes\":{\"execs\":[{\"filename\":\"/bin/sh\"},{\"filename\":\"/bin/wget\"}]}}");
        ProfileDiff.Behaviour before = ProfileDiff.ofRecording("old", profile("read", "write"), oldReport);
        ProfileDiff.Behaviour after = ProfileDiff.ofRecording("new", profile("read", "socket"), newReport);
        ProfileDiff.Drift d = ProfileDiff.diff(before, after);
        assertTrue(d.drifted());
        assertEquals(new TreeSet<>(List.of("socket")), d.addedSyscalls());
        assertEquals(new TreeSet<>(List.of("write")), d.removedSyscalls());
        assertEquals(new TreeSet<>(List.of("/bin/wget")), d.addedExecs());
        assertTrue(d.removedExecs().isEmpty(), "runtime execs are not the workload's");

        ProfileDiff.Drift none = ProfileDiff.diff(ProfileDiff.ofProfile("p", profile("read", "socket", "write")), after);
        assertFalse(none.drifted(), "a profile baseline knows no execs, and allows all of these syscalls");
        assertNull(ProfileDiff.ofProfile("p", profile()).execs());
    }

    @Test
    void kubernetesSeccompProfileHasTheOperatorsShape() {
        ObjectNode k = ProfileExport.kubernetes(profile("read", "write"), "nginx-web", "shop");
        assertEquals("security-profiles-operator.x-k8s.io/v1beta1", k.get("apiVersion").asText());
        assertEquals("SeccompProfile", k.get("kind").asText());
        assertEquals("nginx-web", k.at("/metadata/name").asText());
        assertEquals("shop", k.at("/metadata/namespace").asText());
        assertEquals("SCMP_ACT_ERRNO", k.at("/spec/defaultAction").asText());
        assertEquals("SCMP_ARCH_X86_64", k.at("/spec/architectures/0").asText());
        assertEquals("SCMP_ACT_ALLOW", k.at("/spec/syscalls/0/action").asText());
        assertEquals("write", k.at("/spec/syscalls/0/names/1").asText());
        assertEquals(38, k.at("/spec/syscalls/1/errnoRet").asInt());
        // only the fields the operator's CRD defines
        Map<String, Object> specFields = new TreeMap<>();
        k.get("spec").fieldNames().forEachRemaining(f -> specFields.put(f, 1));
        assertEquals(List.of("architectures", "defaultAction", "syscalls"), List.copyOf(specFields.keySet()));

        ObjectNode pod = ProfileExport.securityContext("nginx-web", "shop", java.util.Optional.empty());
        assertEquals("Localhost", pod.at("/securityContext/seccompProfile/type").asText());
        assertEquals("operator/shop/nginx-web.json", pod.at("/securityContext/seccompProfile/localhostProfile").asText());
        assertTrue(pod.at("/securityContext/capabilities").isMissingNode());
        ObjectNode compose = ProfileExport.compose("/var/lib/contxray/x/seccomp.json", java.util.Optional.empty());
        assertEquals("seccomp=/var/lib/contxray/x/seccomp.json", compose.at("/security_opt/0").asText());
        assertEquals(List.of("security_opt"), fieldNamesOf(compose));

        // with a capability set: drop ALL, add the set (Kubernetes names, like Docker's, without CAP_)
        java.util.Optional<CapabilitiesFile> caps = java.util.Optional.of(CapabilitiesFile.of(null, null, "t",
                new TreeMap<>(Map.of("CHOWN", new CapabilitiesFile.Detail("t", 1L, List.of()),
                        "NET_BIND_SERVICE", new CapabilitiesFile.Detail("t", 1L, List.of())))));
        ObjectNode container = ProfileExport.securityContext("nginx-web", "shop", caps);
        assertEquals("[\"ALL\"]", container.at("/securityContext/capabilities/drop").toString());
        assertEquals("[\"CHOWN\",\"NET_BIND_SERVICE\"]", container.at("/securityContext/capabilities/add").toString());
        ObjectNode composeCaps = ProfileExport.compose("/p/seccomp.json", caps);
        assertEquals("[\"ALL\"]", composeCaps.get("cap_drop").toString());
        assertEquals("[\"CHOWN\",\"NET_BIND_SERVICE\"]", composeCaps.get("cap_add").toString());
        for (String bad : new String[] {"Nginx", "-x", "a/b", "", "a..b/"}) {
            assertThrows(IllegalArgumentException.class, () -> ProfileExport.kubernetes(profile(), bad, null), bad);
        }
    }

    private static List<String> fieldNamesOf(ObjectNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
