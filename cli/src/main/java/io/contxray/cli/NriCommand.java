package io.contxray.cli;

import io.contxray.shim.ConfigPatcher;
import io.contxray.shim.nri.CallException;
import io.contxray.shim.nri.ContainerAdjuster;
import io.contxray.shim.nri.NriPlugin;
import io.contxray.shim.nri.NriSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nri", description = {
        "Run contxray's NRI plugin (containerd >= 1.7, CRI-O >= 1.26): containers created through CRI whose pod or container is "
                + "annotated contxray.record=true|required get contxray's createRuntime and poststop hooks.",
        "contxray.mode=complain|enforce is refused here (NRI cannot set capabilities); such pods use runtimeClassName: contxray.",
        "Reconnects every second while the runtime is away; stops on SIGTERM."})
final class NriCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "The runtime's NRI socket (default: ${DEFAULT-VALUE})")
    Path socket = Path.of("/var/run/nri/nri.sock");

    @Option(names = "--name", description = "Plugin name (default: ${DEFAULT-VALUE})")
    String name = "contxray";

    @Option(names = "--idx", description = "Plugin index, two digits; lower runs first (default: ${DEFAULT-VALUE})")
    String index = "10";

    @Option(names = "--hook-bin", description = "The hook binary, a path on the host (default: ${DEFAULT-VALUE})")
    String hookBin = ConfigPatcher.DEFAULT_HOOK_BIN;

    @Option(names = "--hook-env", paramLabel = "KEY=VALUE", description = "Environment of the injected hooks (repeatable). "
            + "Without it the hooks inherit the runtime's; with it they get only these, so include PATH")
    List<String> hookEnv = new ArrayList<>();

    @Option(names = "--wrapper-handler", description = "CRI runtime handler of contxray's runtime wrapper, left to it (default: ${DEFAULT-VALUE})")
    String wrapperHandler = "contxray";

    @Option(names = "--once", description = "Exit when the connection ends instead of reconnecting")
    boolean once;

    @Option(names = "--capture", paramLabel = "DIR", description = "Copy the raw bytes of each connection to DIR/NNN-from-runtime.bin and DIR/NNN-to-runtime.bin")
    Path capture;

    @Override
    public Integer call() throws InterruptedException {
        for (String kv : hookEnv) {
            if (kv.indexOf('=') <= 0) {
                System.err.println("contxray nri: --hook-env " + kv + " is not KEY=VALUE");
                return 2;
            }
        }
        if (!index.matches("\\d\\d")) {
            System.err.println("contxray nri: --idx " + index + " is not two digits");
            return 2;
        }
        NriPlugin plugin = new NriPlugin(new ContainerAdjuster(hookBin, hookEnv, wrapperHandler), System.err);
        for (int attempt = 1; ; attempt++) {
            String failure = connectOnce(plugin, attempt);
            if (plugin.shutdown()) {
                System.err.println("contxray nri: the runtime is shutting down");
            }
            if (once) {
                if (failure != null) {
                    System.err.println("contxray nri: " + failure);
                }
                return failure == null ? 0 : 1;
            }
            if (failure != null) {
                System.err.println("contxray nri: " + failure + "; retrying in 1 s");
            }
            Thread.sleep(1000);
        }
    }

    /** One connection from registration to its end; an error message, null for a clean end. */
    private String connectOnce(NriPlugin plugin, int attempt) throws InterruptedException {
        OutputStream tapIn = null;
        OutputStream tapOut = null;
        try {
            if (capture != null) {
                Files.createDirectories(capture);
                tapIn = Files.newOutputStream(capture.resolve(String.format("%03d-from-runtime.bin", attempt)));
                tapOut = Files.newOutputStream(capture.resolve(String.format("%03d-to-runtime.bin", attempt)));
            }
            try (NriSession session = NriSession.connect(socket, plugin, tapIn, tapOut).start()) {
                plugin.register(session, name, index);
                System.err.println("contxray nri: registered as " + index + "-" + name + " on " + socket);
                Throwable end = session.awaitClosed();
                return end == null ? null : end.getMessage();
            }
        } catch (IOException | CallException e) {
            return "registering with " + socket + ": " + e.getMessage();
        } finally {
            closeQuietly(tapIn);
            closeQuietly(tapOut);
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // a capture is a debugging aid; the plugin goes on without it
            }
        }
    }
}
