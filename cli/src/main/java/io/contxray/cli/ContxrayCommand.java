package io.contxray.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The command tree; -h/--help and -V/--version are inherited by every subcommand. */
@Command(name = "contxray", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = VersionCommand.Provider.class,
        description = "Records what a container does with eBPF and turns it into least-privilege profiles.",
        subcommands = {DaemonCommand.class, StatusCommand.class, ReportCommand.class, ProfileCommand.class, DiffCommand.class, RolloutCommand.class, InstallCommand.Install.class, InstallCommand.Uninstall.class,
                VersionCommand.class, DoctorCommand.class, HookHelp.class, NriCommand.class, LsCommand.class, PruneCommand.class, CompletionCommand.class})
final class ContxrayCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
