package io.contxray.cli;

import io.contxray.bpf.AttachMethod;
import io.contxray.model.StateDir;
import io.contxray.model.protocol.Protocol;
import io.contxray.recorder.RecorderDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "daemon", description = "Run the host-side recorder (root).")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "Unix socket (default: ${DEFAULT-VALUE})")
    Path socket = Protocol.socketPath();

    @Option(names = "--state-dir", description = "Where reports go (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Option(names = "--pin-dir", description = "bpffs directory for pinned maps and links (default: ${DEFAULT-VALUE})")
    Path pinDir = RecorderDaemon.DEFAULT_PIN_DIR;

    @Option(names = "--attach", description = "tp_btf or raw_tracepoint (default: tp_btf when the kernel has BTF)")
    String attach;

    @Override
    public Integer call() {
        try {
            AttachMethod method = attach == null ? AttachMethod.defaultMethod() : AttachMethod.fromReportName(attach);
            RecorderDaemon.run(new RecorderDaemon.Options(socket, stateDir, pinDir, method));
            return 0;
        } catch (Exception e) {
            System.err.println("contxray daemon: " + e.getMessage());
            return 1;
        }
    }
}
