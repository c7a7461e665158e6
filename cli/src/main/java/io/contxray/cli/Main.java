package io.contxray.cli;

import io.contxray.hook.HookLog;
import io.contxray.hook.HookMain;
import io.contxray.shim.ShimMain;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The one `contxray` launcher. The hook and the runtime wrapper run while a container waits, so
 * they are dispatched before picocli is even loaded; everything else goes through picocli.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("hook")) {
            System.exit(HookMain.run(Arrays.copyOfRange(args, 1, args.length), System.in, HookLog.around(System.err)));
        }
        if (args.length > 0 && args[0].equals("runtime-patch")) {
            System.exit(ShimMain.run(Arrays.copyOfRange(args, 1, args.length), System.err));
        }
        System.exit(new CommandLine(new ContxrayCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
