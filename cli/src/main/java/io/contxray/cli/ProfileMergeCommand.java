package io.contxray.cli;

import io.contxray.analyzer.Analyzer;
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

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    private static void write(Path dir, ProfileMerge.Result r) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeJson(dir.resolve(StateDir.SECCOMP_JSON), r.profile(), Analyzer.FILE_PERMS);
        AtomicFiles.writeJson(dir.resolve("coverage.json"), r.coverage(), Analyzer.FILE_PERMS);
    }

    @Override
    public Integer call() {
        try {
            List<ProfileMerge.Input> inputs = new ArrayList<>();
            for (String s : sources) {
                ProfileSource src = ProfileSource.resolve(s, stateDir);
                inputs.add(new ProfileMerge.Input(s, src.profile()));
            }
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
            ProfileMerge.Result r = ProfileMerge.merge(inputs);
            for (Path dir : targets) {
                write(dir, r);
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
            for (Path dir : targets) {
                System.out.println("wrote " + dir.resolve(StateDir.SECCOMP_JSON) + " and " + dir.resolve("coverage.json"));
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray profile merge: " + e.getMessage());
            return 1;
        }
    }
}
