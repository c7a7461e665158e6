package io.contxray.shim;

/** Test stand-in for io.contxray.cli.Main's runtime-patch dispatch (cli is built after shim). */
public final class PatchLauncher {
    private PatchLauncher() {
    }

    public static void main(String[] args) {
        System.exit(ShimMain.run(args, System.err));
    }
}
