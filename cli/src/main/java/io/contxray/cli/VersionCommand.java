package io.contxray.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {
    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return "contxray " + (v == null ? "0.1.0" : v);
    }

    @Override
    public void run() {
        System.out.println(version());
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
