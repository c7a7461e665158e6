package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.ArgumentValues;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentFiltersTest {
    // x86_64: 0 read, 41 socket, 59 execve, 135 personality; i386: 102 socketcall, 136 personality
    static final int SOCKET = 41;
    static final int PERSONALITY = 135;
    static final long QUERY = 0xffffffffL;

    @TempDir
    Path tmp;

    static ArgumentValues.Value v(int nr, boolean filtered, long value, long count) {
        return new ArgumentValues.Value(nr, filtered, value, count);
    }

    /** A recording under a filter that made socket and personality calls, with these values (filtered phase). */
    static Recording recording(Map<Integer, Long> filtered, Map<Integer, Long> filteredCompat, long missed,
                               ArgumentValues.Value... values) {
        Recording r = Fixtures.recording("x86_64", Map.of(157, 2L, SOCKET, 1L), filtered, Map.of(), filteredCompat);
        return new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), r.beforeFilterCompat(), r.filteredCompat(), 0, false, List.of(), r.events(),
                r.capabilities(), new ArgumentValues(List.of(values), missed));
    }

    /** socket: 10 AF_UNIX and 3 AF_INET calls; personality(0xffffffff) once; the runtime's AF_NETLINK before the filter. */
    static Recording webLike() {
        return recording(Map.of(0, 5L, 59, 1L, SOCKET, 13L, PERSONALITY, 1L), Map.of(), 0,
                v(SOCKET, true, 1, 10), v(SOCKET, true, 2, 3), v(PERSONALITY, true, QUERY, 1), v(SOCKET, false, 16, 1));
    }

    private static JsonNode reportOf(Recording rec) throws IOException {
        return Json.mapper().readTree(Json.mapper().writeValueAsBytes(ReportBuilder.build(rec)));
    }

    @Test
    void theReportNamesTheValuesOfTheProfilesPart() throws IOException {
        JsonNode a = reportOf(webLike()).get("argumentValues");
        assertEquals(0, a.get("missed").asLong());
        JsonNode socket = a.at("/syscalls/socket");
        assertEquals("{\"arg\":0,\"calls\":13,\"values\":[{\"value\":1,\"name\":\"AF_UNIX\",\"count\":10},"
                + "{\"value\":2,\"name\":\"AF_INET\",\"count\":3}],\"filterable\":true}", socket.toString(),
                "the runtime's AF_NETLINK before the filter is not the profile's");
        assertEquals("{\"arg\":0,\"calls\":1,\"values\":[{\"value\":4294967295,\"name\":\"0xffffffff\",\"count\":1}],"
                + "\"filterable\":true}", a.at("/syscalls/personality").toString());
        assertEquals(List.of("personality", "socket"), names(a.get("syscalls")));
    }

    @Test
    void noFilterWhenCompatCodeMadeTheCallOrAValueIsMissing() throws IOException {
        // 32-bit socketcall: the family of those calls is in user memory, never recorded
        JsonNode compat = reportOf(recording(Map.of(SOCKET, 1L, PERSONALITY, 1L), Map.of(102, 4L), 0,
                v(SOCKET, true, 2, 1), v(PERSONALITY, true, 0, 1))).at("/argumentValues/syscalls");
        assertFalse(compat.at("/socket/filterable").asBoolean());
        assertEquals("32-bit code also made socketcall, whose arguments are not recorded", compat.at("/socket/reason").asText());
        assertTrue(compat.at("/personality/filterable").asBoolean(), "compat code made no personality call");

        JsonNode full = reportOf(recording(Map.of(SOCKET, 2L), Map.of(), 7, v(SOCKET, true, 2, 1)))
                .get("argumentValues");
        assertEquals(7, full.get("missed").asLong());
        assertEquals("the kernel's table of argument values was full: 7 call(s) have no value",
                full.at("/syscalls/socket/reason").asText());

        JsonNode partial = reportOf(recording(Map.of(SOCKET, 14L), Map.of(), 0, v(SOCKET, true, 2, 13)))
                .at("/argumentValues/syscalls/socket");
        assertEquals("the values of only 13 of its 14 call(s) were recorded", partial.get("reason").asText());
    }

    @Test
    void withoutAFilterCutBothPhasesCount() throws IOException {
        Recording r = Fixtures.x86(Map.of(SOCKET, 2L), Map.of());
        Recording rec = new Recording(r.registration(), r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(),
                r.filteredNative(), Map.of(), Map.of(), 0, false, List.of(), r.events(), r.capabilities(),
                new ArgumentValues(List.of(v(SOCKET, false, 10, 2)), 0));
        JsonNode s = reportOf(rec).at("/argumentValues/syscalls/socket");
        assertEquals("AF_INET6", s.at("/values/0/name").asText());
        assertTrue(s.get("filterable").asBoolean());
    }

    @Test
    void oldRecordsLoadAndKnowNothing() throws IOException {
        Recording old = Fixtures.x86(Map.of(), Map.of(SOCKET, 1L));
        assertFalse(reportOf(old).has("argumentValues"), "no section without recorded values");
        // a recording.json-like record written before the field existed reads with none
        Recording back = Json.mapper().readValue(Json.mapper().writeValueAsString(old).replace(",\"argumentValues\":null", ""),
                Recording.class);
        assertNull(back.argumentValues());
    }

    /** Writes a recording's files as the recorder does and reads them back as a merge input. */
    private ProfileMerge.Input written(String id, Recording rec) throws IOException {
        Path dir = new StateDir(tmp).containerDir(id);
        Analyzer.write(rec, dir);
        return new ProfileMerge.Input(id, SeccompProfiles.read(dir.resolve("seccomp.json")));
    }

    @Test
    void mergeWithArgFiltersAllowsTheUnionOfTheValuesOneRuleEach() throws IOException {
        ProfileMerge.Input a = written("a", webLike());
        ProfileMerge.Input b = written("b", recording(Map.of(SOCKET, 2L, 1, 1L), Map.of(), 0, v(SOCKET, true, 10, 1),
                v(SOCKET, true, 2, 1)));
        ProfileMerge.Input noSocket = written("c", recording(Map.of(0, 1L), Map.of(), 0));
        ProfileMerge.Result r = ProfileMerge.merge(List.of(a, b, noSocket), true);
        List<SeccompRule> rules = r.profile().syscalls();
        assertFalse(rules.get(0).names().contains("socket"), "not allowed with any argument");
        assertFalse(rules.get(0).names().contains("personality"));
        assertTrue(rules.get(0).names().contains("write"));
        List<String> json = new ArrayList<>();
        for (SeccompRule rule : rules.subList(1, rules.size())) {
            json.add(Json.mapper().writeValueAsString(rule));
        }
        assertEquals(List.of(
                "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]}",
                "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}",
                "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}",
                "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":10,\"op\":\"SCMP_CMP_EQ\"}]}",
                "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"), json);
        assertEquals(List.of(), r.warnings());
        assertEquals(Map.of("AF_INET", 2, "AF_INET6", 1, "AF_UNIX", 1), r.coverage().argumentFilters().get("socket").seenIn());
        assertEquals(2, r.coverage().seenIn().get("socket"), "coverage per syscall as before");
        // what the store keeps reads back, and merging it again keeps every value (a value seen once stays)
        SeccompProfile stored = ProfileToolsTest.roundTrip(r.profile());
        assertEquals(r.profile(), stored);
        ProfileMerge.Result again = ProfileMerge.merge(List.of(new ProfileMerge.Input("stored", stored),
                written("d", recording(Map.of(SOCKET, 1L), Map.of(), 0, v(SOCKET, true, 17, 1)))), true);
        assertEquals(Map.of("AF_INET", 1, "AF_INET6", 1, "AF_PACKET", 1, "AF_UNIX", 1),
                again.coverage().argumentFilters().get("socket").seenIn());
    }

    @Test
    void aSourceWithoutTheValuesMeansNoFilterForThatSyscallAndAWarning() throws IOException {
        ProfileMerge.Input a = written("a", webLike());
        Path oldDir = new StateDir(tmp).containerDir("old");
        Analyzer.write(Fixtures.x86(Map.of(), Map.of(SOCKET, 1L)), oldDir);
        ProfileMerge.Input old = new ProfileMerge.Input("old", SeccompProfiles.read(oldDir.resolve("seccomp.json")));
        ProfileMerge.Result r = ProfileMerge.merge(List.of(a, old), true);
        assertTrue(r.profile().syscalls().get(0).names().contains("socket"), "socket with any argument, as Docker's default");
        assertEquals(List.of("socket: allowed with any argument, as Docker's default profile does (old: the profile "
                + "allows it with any argument)"), r.warnings());
        ProfileMerge.ArgCoverage socket = r.coverage().argumentFilters().get("socket");
        assertFalse(socket.filtered());
        // personality: only "a" made it, and it knows its values
        assertTrue(r.coverage().argumentFilters().get("personality").filtered());
        assertEquals(1, r.profile().syscalls().stream().filter(x -> x.names().equals(List.of("personality"))).count());

        // a bare profile that allows socket with any argument knows no values either
        ProfileMerge.Result bare = ProfileMerge.merge(List.of(a, new ProfileMerge.Input("p", ProfileToolsTest.profile("socket"))), true);
        assertEquals(List.of("socket: allowed with any argument, as Docker's default profile does (p: the profile allows "
                + "it with any argument)"), bare.warnings());
        // personality from a profile that allows it with any argument: Docker's five personas, never any
        ProfileMerge.Result persona = ProfileMerge.merge(List.of(new ProfileMerge.Input("p", ProfileToolsTest.profile("personality"))), true);
        assertEquals(5, persona.profile().syscalls().stream().filter(x -> x.names().equals(List.of("personality"))).count());
        assertTrue(persona.coverage().argumentFilters().get("personality").filtered());
    }

    @Test
    void argumentRulesOffAllowTheirSyscallsWithAnyArgumentAndSaySo() throws IOException {
        ProfileMerge.Input a = written("a", webLike());
        assertEquals(java.util.Set.of("personality", "socket"), ArgumentFilters.conditional(a.profile()),
                "the container's own profile has argument rules");
        ProfileMerge.Result off = ProfileMerge.merge(List.of(a), false);
        SeccompProfile expected = new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64"), List.of(
                SeccompRule.allow(List.copyOf(SeccompProfiles.allowed(a.profile()))), SeccompRule.errno(List.of("clone3"), 38)));
        assertArrayEquals(Json.prettyBytes(expected), Json.prettyBytes(off.profile()));
        assertArrayEquals(Json.prettyBytes(new ProfileMerge.Coverage(ProfileMerge.Coverage.SCHEMA, 1, List.of("a"),
                off.coverage().seenIn())), Json.prettyBytes(off.coverage()));
        assertFalse(new String(Json.prettyBytes(off.profile()), StandardCharsets.UTF_8).contains("args"));
        assertEquals(List.of("personality: allowed with any argument (argument rules off): weaker than Docker's default "
                + "profile where that narrows it", "socket: allowed with any argument (argument rules off): weaker than "
                + "Docker's default profile where that narrows it"), off.warnings());
        // merged again with rules on, the values come back from the profile
        assertEquals(a.profile().syscalls(), ProfileMerge.merge(List.of(a), true).profile().syscalls());
    }

    @Test
    void argumentFiltersReadBackStrictlyAndAsUnsigned() throws IOException {
        SeccompProfile p = new SeccompProfile(SeccompRule.ERRNO, 1, List.of("SCMP_ARCH_X86_64"), List.of(
                SeccompRule.allow(List.of("read")), SeccompRule.allowIf("personality", new SeccompRule.Arg(0, -1L, "SCMP_CMP_EQ"))));
        String json = Json.mapper().writeValueAsString(p);
        assertTrue(json.contains("\"value\":18446744073709551615"), json);
        assertEquals(p, ProfileToolsTest.roundTrip(p));
        assertEquals(Map.of("personality", java.util.Set.of(-1L)), ArgumentFilters.fromProfile(p).values());
        String[][] refused = {
            {"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_NE\"}]}", "op \"SCMP_CMP_NE\""},
            {"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}", "ALLOW rules only"},
            {"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}", "index must be 0..5"},
            {"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551616,\"op\":\"SCMP_CMP_EQ\"}]}", "unsigned 64-bit"},
            {"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":-2,\"op\":\"SCMP_CMP_EQ\"}]}", "unsigned 64-bit"},
        };
        for (String[] c : refused) {
            String profile = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" + c[0] + "]}";
            IOException e = assertThrows(IOException.class, () -> SeccompProfiles.parse(profile.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void exportsCarryTheArguments() throws IOException {
        SeccompProfile p = ProfileMerge.merge(List.of(written("a", webLike())), true).profile();
        JsonNode k = ProfileExport.kubernetes(p, "web", null);
        assertEquals("{\"action\":\"SCMP_ACT_ALLOW\",\"names\":[\"socket\"],\"args\":[{\"index\":0,\"value\":1,"
                + "\"op\":\"SCMP_CMP_EQ\"}]}", k.at("/spec/syscalls/2").toString());
        assertEquals(4294967295L, k.at("/spec/syscalls/1/args/0/value").asLong());
    }

    @Test
    void complainModeCountsAValueTheProfileDoesNotAllowAsAViolation() throws IOException {
        ProfileStore store = new ProfileStore(tmp.resolve("profiles"));
        store.save("web", ProfileMerge.merge(List.of(written("a", webLike())), true).profile());
        Recording r = recording(Map.of(0, 1L, SOCKET, 4L, PERSONALITY, 1L), Map.of(), 0, v(SOCKET, true, 1, 1),
                v(SOCKET, true, 17, 2), v(PERSONALITY, true, QUERY, 1));
        Recording complain = new Recording(new io.contxray.model.Registration("c0ffee", 0, 1L, "/x", 1, null,
                Map.of("contxray.mode", "complain", "contxray.profile", "web"), "2026-11-23T01:00:00Z", null, null),
                r.stoppedAt(), r.arch(), r.attachMethod(), r.beforeFilterNative(), r.filteredNative(), r.beforeFilterCompat(),
                r.filteredCompat(), 0, false, List.of(), r.events(), r.capabilities(), r.argumentValues());
        Report report = ReportBuilder.build(complain, new FromEvents(Processes.NONE, Network.NONE,
                new FilesBuilder(new PathClassifier(List.of())).build(), new CapabilitiesBuilder(complain).build(), null), store);
        assertEquals(Map.of("socket(AF_PACKET)", 2L, "socket(argument not recorded)", 1L), report.rollout().violations());
        // what a logging re-run's report says, read back from its JSON
        JsonNode json = Json.mapper().valueToTree(report);
        assertEquals(report.rollout().violations(),
                ArgumentFilters.outside(store.load("web"), ArgumentFilters.section(json)));
        assertNull(ArgumentFilters.section(Json.mapper().readTree("{}")));
    }

    @Test
    void diffCountsANewValueAsDriftWhereTheBaselineRestrictsIt() throws IOException {
        Path dir = new StateDir(tmp).containerDir("n");
        Analyzer.write(recording(Map.of(SOCKET, 2L), Map.of(), 0, v(SOCKET, true, 2, 1), v(SOCKET, true, 16, 1)), dir);
        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        ProfileDiff.Behaviour observed = ProfileDiff.ofRecording("n", SeccompProfiles.read(dir.resolve("seccomp.json")), report);
        assertEquals(Map.of("socket", new java.util.TreeSet<>(List.of("AF_INET", "AF_NETLINK"))), observed.arguments());

        SeccompProfile filtered = ProfileMerge.merge(List.of(written("a", webLike())), true).profile();
        ProfileDiff.Drift d = ProfileDiff.diff(ProfileDiff.ofProfile("p", filtered), observed);
        assertEquals(new java.util.TreeSet<>(List.of("socket(AF_NETLINK)")), d.addedArguments());
        assertTrue(d.drifted());
        // against an older recording with the same values, or a profile that allows socket with any argument: none
        assertTrue(ProfileDiff.diff(observed, observed).addedArguments().isEmpty());
        ProfileDiff.Drift any = ProfileDiff.diff(ProfileDiff.ofProfile("q", ProfileToolsTest.profile("socket")), observed);
        assertTrue(any.addedArguments().isEmpty(), any.toString());
    }

    @Test
    void valuesHaveReadableNames() {
        assertEquals("AF_NETLINK", ArgumentFilters.valueName("socket", 16));
        assertEquals("AF_PACKET", ArgumentFilters.valueName("socket", 17));
        assertEquals("0x64", ArgumentFilters.valueName("socket", 100));
        assertEquals("0x20008", ArgumentFilters.valueName("personality", 0x20008));
        assertEquals("0xffffffffffffffff", ArgumentFilters.valueName("personality", -1));
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Found by AnalyzerInputFuzzTest: a value without a name, or a syscall without values, made diff throw a NullPointerException. */
    @Test
    void aSectionWithMissingPartsIsRefusedInOneLine() throws IOException {
        for (String section : List.of("{\"syscalls\":{\"socket\":{\"calls\":1,\"values\":[{\"value\":2,\"count\":1}]}}}",
                "{\"syscalls\":{\"socket\":null}}", "{\"syscalls\":{\"socket\":{\"values\":[null]}}}")) {
            JsonNode report = Json.mapper().readTree("{\"argumentValues\":" + section + "}");
            IOException e = assertThrows(IOException.class, () -> ArgumentFilters.section(report), section);
            assertTrue(e.getMessage().startsWith("argumentValues: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
