package io.contxray.cli;

import io.contxray.bpf.AttachMethod;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.hook.HookRequests;
import io.contxray.model.StateDir;
import io.contxray.model.protocol.Request;
import io.contxray.shim.ConfigPatcher;
import io.contxray.shim.PatchRequests;
import io.contxray.model.protocol.Protocol;
import io.contxray.recorder.RecorderDaemon;
import io.contxray.recorder.metrics.MetricsAddress;
import java.nio.file.Path;
import java.util.Set;
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

    @Option(names = "--without", split = ",", paramLabel = "SENSOR",
            description = "Sensors not to attach (comma-separated): files, sockets, capabilities. Files and sockets take their results from "
                    + "syscalls/sys_exit_* tracepoints, a probe on every syscall's exit on the host while anything is recorded")
    Set<SyscallRecorderProgram.Sensor> without = Set.of();

    @Option(names = "--runs-kept", paramLabel = "N", description = "Finished runs of one container whose directory is kept; "
            + "older runs stay in the container's union (default: $CONTXRAY_RUNS_KEPT, else 10)")
    Integer runsKept;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Where /metrics (Prometheus) is served, or off (default: $" + MetricsAddress.ENV + ", else "
                    + MetricsAddress.DEFAULT + ")")
    String metricsAddress;

    @Override
    public Integer call() {
        try {
            AttachMethod method = attach == null ? AttachMethod.defaultMethod() : AttachMethod.fromReportName(attach);
            PatchRequests patches = new PatchRequests(ConfigPatcher.fromEnvironment(System.getenv())
                    .withImages(RecorderDaemon::imageOf));
            RecorderDaemon.Options opts = new RecorderDaemon.Options(socket, stateDir, pinDir, method).withOut(without);
            var metrics = MetricsAddress.resolve(metricsAddress, System.getenv(MetricsAddress.ENV));
            RecorderDaemon.run(runsKept == null ? opts : opts.withRunsKept(runsKept), recorder -> request -> {
                if (Request.HOOK.equals(request.op())) {
                    return HookRequests.handle(request, recorder);
                }
                if (Request.PATCH.equals(request.op())) {
                    return patches.handle(request);
                }
                return recorder.apply(request);
            }, metrics);
            return 0;
        } catch (Exception e) {
            System.err.println("contxray daemon: " + e.getMessage());
            return 1;
        }
    }
}
