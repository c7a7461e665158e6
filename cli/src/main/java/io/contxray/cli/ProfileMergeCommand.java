package io.contxray.cli;

import io.contxray.analyzer.Analyzer;
import io.contxray.analyzer.CapabilitiesFile;
import io.contxray.analyzer.ProfileMerge;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.SeccompProfiles;
import io.contxray.model.AtomicFiles;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge", description = "Union the profiles of many recordings into one, with coverage per syscall.")
final class ProfileMergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "Container ids, directories holding seccomp.json, or seccomp.json files")
    List<String> sources;

    @Option(names = {"-o", "--output"}, description = "Directory for seccomp.json and coverage.json")
    Path output;

    @Option(names = "--save", paramLabel = "NAME",
            description = "Store it as profile NAME (<state>/profiles/NAME/), for contxray.profile=NAME rollouts")
    String save;

    @Option(names = "--no-arg-filters", description = "Allow clone, personality and socket with any argument. By default "
            + "they are allowed only for the union of the values the sources' argument rules allow, and where a source "
            + "allows one with any argument, only as Docker's default profile does")
    boolean noArgFilters;

    @Option(names = "--allow-lossy", description = "Merge even recordings whose kernel dropped or rotated events: "
            + "warned, and listed in lossy.json beside the result; refused by default")
    boolean allowLossy;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    /** Beside a merge made with --allow-lossy: recording -> what it lost. */
    static final String LOSSY_JSON = "lossy.json";

    /** Writes the merge; the capability set only when every source had one (else none, not a partial one). */
    private static void write(Path dir, ProfileMerge.Result r, CapabilitiesFile caps, Map<String, String> lossy)
            throws IOException {
        Files.createDirectories(dir);
        if (lossy.isEmpty()) {
            Files.deleteIfExists(dir.resolve(LOSSY_JSON)); // an older merge's mark
        } else {
            AtomicFiles.writeJson(dir.resolve(LOSSY_JSON), Map.of("lostIn", lossy), Analyzer.FILE_PERMS);
        }
        AtomicFiles.writeJson(dir.resolve(StateDir.SECCOMP_JSON), r.profile(), Analyzer.FILE_PERMS);
        AtomicFiles.writeJson(dir.resolve("coverage.json"), r.coverage(), Analyzer.FILE_PERMS);
        if (caps != null) {
            caps.writeTo(dir);
        } else {
            Files.deleteIfExists(dir.resolve(StateDir.CAPABILITIES_JSON)); // an older one would be applied
        }
    }

    /** The union of the sources' capabilities.json, or null when one of them has none. */
    private static CapabilitiesFile capabilities(List<ProfileSource> sources) throws IOException {
        List<CapabilitiesFile> sets = new ArrayList<>();
        for (ProfileSource s : sources) {
            java.util.Optional<CapabilitiesFile> caps = s.capabilities();
            if (caps.isEmpty()) {
                return null;
            }
            sets.add(caps.get());
        }
        return CapabilitiesFile.union(sets);
    }

    /** The values each filtered syscall is allowed for, and the warnings (a syscall left unfiltered, and why). */
    static void printArgFilters(ProfileMerge.Result r, java.io.PrintStream out) {
        if (r.coverage().argumentFilters() != null) {
            r.coverage().argumentFilters().forEach((name, c) -> {
                if (c.filtered() && c.seenIn() != null) {
                    out.println("argument filter: " + name + " only for " + String.join(" ", c.seenIn().keySet()));
                }
            });
        }
        r.warnings().forEach(w -> out.println("warning: " + w));
    }

    @Override
    public Integer call() {
        try {
            List<ProfileMerge.Input> inputs = new ArrayList<>();
            List<ProfileSource> resolved = new ArrayList<>();
            for (String s : sources) {
                ProfileSource src = ProfileSource.resolve(s, stateDir);
                resolved.add(src);
                inputs.add(src.input());
            }
            List<RecordingReports.Recorded> reports = new ArrayList<>();
            for (ProfileSource src : resolved) {
                reports.addAll(RecordingReports.own(src));
            }
            Map<String, String> lossy = LossyRecordings.check(reports, allowLossy, System.err);
            CapabilitiesFile caps = capabilities(resolved);
            List<Path> targets = new ArrayList<>();
            if (output != null) {
                targets.add(output);
            }
            if (save != null) {
                targets.add(ProfileStore.of(new StateDir(stateDir)).file(save).getParent()); // validates the name
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("say where: -o DIR and/or --save NAME");
            }
            ProfileMerge.Result r = ProfileMerge.merge(inputs, !noArgFilters);
            for (Path dir : targets) {
                write(dir, r, caps, lossy);
            }
            int total = r.coverage().seenIn().size();
            long everywhere = r.coverage().seenIn().values().stream().filter(n -> n == inputs.size()).count();
            System.out.println("merged " + inputs.size() + " recording(s): " + SeccompProfiles.allowed(r.profile()).size()
                    + " syscalls allowed, " + everywhere + " seen in all, " + (total - everywhere) + " in some");
            for (Map.Entry<String, String> e : ProfileMerge.fractions(r.coverage()).entrySet()) {
                if (r.coverage().seenIn().get(e.getKey()) < inputs.size()) {
                    System.out.println("  " + e.getValue() + "  " + e.getKey());
                }
            }
            printArgFilters(r, System.out);
            System.out.println(caps == null ? "capabilities: none stored (not every source has a capabilities.json)"
                    : "capabilities: " + (caps.add().isEmpty() ? "none needed" : String.join(" ", caps.add())));
            for (Path dir : targets) {
                System.out.println("wrote " + dir.resolve(StateDir.SECCOMP_JSON) + " and " + dir.resolve("coverage.json")
                        + (caps == null ? "" : " and " + StateDir.CAPABILITIES_JSON));
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile merge: " + e.getMessage());
            return 1;
        } catch (LossyRecordings.Refused e) {
            System.err.println("contxray profile merge: " + e.getMessage());
            return LossyRecordings.EXIT;
        }
    }
}
