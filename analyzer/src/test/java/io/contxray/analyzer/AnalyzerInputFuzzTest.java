package io.contxray.analyzer;

import static io.contxray.model.fuzz.Fuzz.assertOneLine;
import static io.contxray.model.fuzz.Fuzz.bounded;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import io.contxray.model.fuzz.Fuzz;
import io.contxray.model.fuzz.Fuzz.Mutation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the files the analyzer reads back: seccomp profiles, Docker's default.json and
 * report.json's argument values (for diff). Any bytes are read or refused with one IOException
 * line, and what was read can be used (compared, diffed) without an unchecked exception; a
 * profile contxray writes reads back equal.
 */
class AnalyzerInputFuzzTest {
    private static final SeccompProfile SOME_PROFILE = new SeccompProfile("SCMP_ACT_ERRNO", 1, List.of("SCMP_ARCH_X86_64"),
            List.of(SeccompRule.allow(List.of("read", "write", "clone")),
                    SeccompRule.allowIf("socket", new SeccompRule.Arg(0, 2, SeccompRule.Arg.EQ))));

    @Property
    void arbitraryProfileBytesAreReadOrRefusedInOneLine(@ForAll @Size(max = 600) byte[] raw) {
        readsProfile(raw);
    }

    @Property
    void mutatedProfilesAreReadOrRefusedInOneLine(@ForAll("profiles") SeccompProfile p, @ForAll("mutations") List<Mutation> m)
            throws IOException {
        readsProfile(Mutation.apply(m, Json.prettyBytes(p)));
    }

    @Property
    void writtenProfilesReadBackEqual(@ForAll("profiles") SeccompProfile p) throws IOException {
        assertEquals(p, SeccompProfiles.parse(Json.prettyBytes(p)));
    }

    @Property
    void arbitraryDockerDefaultsAreReadOrRefusedInOneLine(@ForAll @Size(max = 600) byte[] raw) {
        readsDockerDefault(raw);
    }

    @Property
    void mutatedDockerDefaultsAreReadOrRefusedInOneLine(@ForAll("dockerDefaults") String json, @ForAll("mutations") List<Mutation> m) {
        readsDockerDefault(Mutation.apply(m, json.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void arbitraryReportsAreDiffedOrRefusedInOneLine(@ForAll @Size(max = 600) byte[] raw) {
        diffsReport(raw);
    }

    @Property
    void mutatedReportsAreDiffedOrRefusedInOneLine(@ForAll("reports") String json, @ForAll("mutations") List<Mutation> m) {
        diffsReport(Mutation.apply(m, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void readsProfile(byte[] raw) {
        bounded(() -> {
            try {
                SeccompProfile p = SeccompProfiles.parse(raw);
                SeccompProfiles.allowed(p);
                ArgumentFilters.fromProfile(p);
                ProfileDiff.diff(ProfileDiff.ofProfile("a", p), ProfileDiff.ofProfile("b", SOME_PROFILE));
            } catch (IOException e) {
                assertOneLine(e);
            }
        });
    }

    private static void readsDockerDefault(byte[] raw) {
        bounded(() -> {
            try {
                DockerDefaultComparison d = DockerDefaultComparison.parse(raw);
                d.wider(SOME_PROFILE, Set.of("SYS_ADMIN"), "amd64", "6.18.0");
                d.capabilityGates();
            } catch (IOException e) {
                assertOneLine(e);
            }
        });
    }

    private static void diffsReport(byte[] raw) {
        bounded(() -> {
            JsonNode report;
            try {
                report = Json.mapper().readTree(raw);
            } catch (IOException e) {
                return; // not JSON: the readers get a tree, the CLI refuses the file before
            }
            if (report == null) {
                return;
            }
            try {
                ProfileDiff.Behaviour b = ProfileDiff.ofRecording("r", SOME_PROFILE, report);
                ProfileDiff.diff(ProfileDiff.ofProfile("p", SOME_PROFILE), b);
                ProfileDiff.diff(b, b);
                ArgumentFilters.outside(SOME_PROFILE, ArgumentFilters.section(report));
            } catch (IOException e) {
                assertOneLine(e);
            }
        });
    }

    @Provide
    Arbitrary<SeccompProfile> profiles() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars("_0123456789").ofMinLength(1).ofMaxLength(16);
        Arbitrary<SeccompRule.Arg> arg = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.of(true, false)).as((i, v, w, masked) -> masked
                ? SeccompRule.Arg.maskedEq(i, v, w) : new SeccompRule.Arg(i, v, SeccompRule.Arg.EQ));
        Arbitrary<SeccompRule> rule = Arbitraries.oneOf(
                name.list().ofMinSize(1).ofMaxSize(5).map(SeccompRule::allow),
                Combinators.combine(name.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(0, 4095))
                        .as(SeccompRule::errno),
                Combinators.combine(name, arg.list().ofMinSize(1).ofMaxSize(3))
                        .as((n, args) -> new SeccompRule(List.of(n), SeccompRule.ALLOW, args, null)));
        return Combinators.combine(Arbitraries.of("SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_LOG"),
                        Arbitraries.integers().between(0, 4095), Arbitraries.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32").set()
                                .map(s -> List.copyOf(new TreeSet<>(s))), rule.list().ofMaxSize(6))
                .as(SeccompProfile::new);
    }

    /** Docker's shape: names, action, args, includes/excludes of caps, arches and minKernel. */
    @Provide
    Arbitrary<String> dockerDefaults() {
        Arbitrary<String> rule = Combinators.combine(Arbitraries.of("read", "clone", "socket", "mount"),
                Arbitraries.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO"), Arbitraries.of("CAP_SYS_ADMIN", "CAP_NET_RAW", "SYS_ADMIN", "X"),
                Arbitraries.of("amd64", "arm64"), Arbitraries.of("4.8", "5.6", "6", "99999999999", "x"),
                Arbitraries.longs(), Arbitraries.of("SCMP_CMP_EQ", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"))
                .as((n, action, cap, arch, kernel, value, op) -> "{\"names\":[\"" + n + "\"],\"action\":\"" + action
                        + "\",\"args\":[{\"index\":0,\"value\":" + value + ",\"valueTwo\":0,\"op\":\"" + op + "\"}],"
                        + "\"includes\":{\"caps\":[\"" + cap + "\"],\"arches\":[\"" + arch + "\"],\"minKernel\":\"" + kernel + "\"},"
                        + "\"excludes\":{\"caps\":[\"CAP_SYS_PTRACE\"]}}");
        return rule.list().ofMaxSize(4).map(rules -> "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":["
                + String.join(",", rules) + "]}");
    }

    /** report.json's parts diff reads: execs and argumentValues. */
    @Provide
    Arbitrary<String> reports() {
        Arbitrary<String> value = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of("AF_INET", "x"),
                Arbitraries.longs().between(0, 100)).as((v, n, c) -> "{\"value\":" + v + ",\"name\":\"" + n + "\",\"count\":" + c + "}");
        Arbitrary<String> seen = Combinators.combine(Arbitraries.of("socket", "clone", "personality"), Arbitraries.longs().between(0, 100),
                value.list().ofMaxSize(3), Arbitraries.of(true, false))
                .as((name, calls, values, f) -> "\"" + name + "\":{\"arg\":0,\"calls\":" + calls + ",\"values\":["
                        + String.join(",", values) + "],\"filterable\":" + f + "}");
        return Combinators.combine(seen.list().ofMaxSize(3), Arbitraries.of("/bin/sh", "/usr/sbin/nginx").list().ofMaxSize(3))
                .as((s, execs) -> {
                    StringBuilder e = new StringBuilder();
                    for (String x : execs) {
                        e.append(e.length() == 0 ? "" : ",").append("{\"filename\":\"").append(x).append("\",\"runtime\":false}");
                    }
                    return "{\"schema\":\"contxray.report/v1\",\"processes\":{\"execs\":[" + e + "]},"
                            + "\"argumentValues\":{\"missed\":0,\"syscalls\":{" + String.join(",", Map.<String, String>of().values())
                            + String.join(",", s.stream().distinct().toList()) + "}}}";
                });
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Fuzz.mutations();
    }
}
