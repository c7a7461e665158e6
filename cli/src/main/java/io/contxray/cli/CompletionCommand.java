package io.contxray.cli;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = {
        "Print the shell completion script, generated from the command tree by picocli's AutoComplete: "
                + "subcommands, options and recorded containers (their short ids and names, asked of `contxray ls` "
                + "when you press TAB).",
        "Examples:",
        "  source <(contxray completion bash)",
        "  contxray completion zsh > \"${fpath[1]}/_contxray\"",
        "install/install.sh installs it as /usr/share/bash-completion/completions/contxray."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    /**
     * The candidates of a recorded-container parameter: one word that the completion script's
     * compgen expands when TAB is pressed, so the list is the state directory's at that moment.
     */
    static final class RecordedContainers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            // picocli writes the candidates as ("..." "..."): the quotes around the substitution are
            // closed and reopened so that its output splits into one candidate per line
            return List.of("\" $(contxray ls --refs 2>/dev/null) \"").iterator();
        }
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", description = "bash (default) or zsh")
    Shell shell = Shell.bash;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // picocli's script is bash; zsh runs it through bashcompinit, which the script loads itself
        System.out.print(AutoComplete.bash("contxray", spec.root().commandLine()));
        return 0;
    }
}
