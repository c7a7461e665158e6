package io.contxray.cli;

import picocli.CommandLine.Command;

/** Listed for --help only: Main runs `hook` itself before picocli starts. */
@Command(name = "hook", description = "OCI hook: `contxray hook createRuntime|poststop`, reads the OCI state on stdin.")
final class HookHelp implements Runnable {
    @Override
    public void run() {
        System.err.println("contxray hook: give the stage: createRuntime, prestart or poststop");
    }
}
