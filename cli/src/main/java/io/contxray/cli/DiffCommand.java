package io.contxray.cli;

import io.contxray.analyzer.ProfileDiff;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "What recording B does that A (a profile or an older recording) does not. "
        + "Exit 0: no drift, 1: drift, 2: trouble.")
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "Baseline: a container id, a directory holding seccomp.json, or a seccomp.json file")
    String baseline;

    @Parameters(index = "1", paramLabel = "B", description = "Newer recording, same forms")
    String observed;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        ProfileDiff.Drift d;
        try {
            d = ProfileDiff.diff(ProfileSource.resolve(baseline, stateDir).behaviour(),
                    ProfileSource.resolve(observed, stateDir).behaviour());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray diff: " + e.getMessage());
            return 2;
        }
        print("+ syscall ", d.addedSyscalls());
        print("+ exec    ", d.addedExecs());
        print("+ argument ", d.addedArguments());
        print("- syscall ", d.removedSyscalls());
        print("- exec    ", d.removedExecs());
        System.out.println(d.drifted()
                ? "drift: B made " + d.addedSyscalls().size() + " syscall(s)"
                        + (d.addedArguments().isEmpty() ? "" : ", " + d.addedArguments().size() + " argument value(s)")
                        + " and " + d.addedExecs().size() + " exec(s) that A does not have"
                : "no drift: everything B did is in A");
        return d.drifted() ? 1 : 0;
    }

    private static void print(String prefix, SortedSet<String> items) {
        items.forEach(i -> System.out.println(prefix + i));
    }
}
