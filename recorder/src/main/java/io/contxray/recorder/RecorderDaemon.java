package io.contxray.recorder;

import io.contxray.bpf.AttachMethod;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * `contxray daemon`: loads the kernel programs once, reconciles with what the pinned maps hold,
 * then serves register/stop requests from the hooks. Stopping the daemon leaves the pinned maps
 * and links in place, so recording goes on while it is down.
 */
public final class RecorderDaemon {
    public static final Path DEFAULT_PIN_DIR = Path.of("/sys/fs/bpf/contxray");

    public record Options(Path socket, Path stateDir, Path pinDir, AttachMethod method) {
    }

    public static void run(Options opts) throws IOException {
        Log log = new Log(System.err);
        ensureBpffs(opts.pinDir());
        Cgroups cgroups = Cgroups.host();
        StateDir state = new StateDir(opts.stateDir());
        try (SyscallRecorderProgram program = SyscallRecorderProgram.open(opts.pinDir(), opts.method())) {
            Recorder recorder = new Recorder(program, cgroups, state, Clock.systemUTC(), log);
            recorder.recover();
            try (SocketServer server = new SocketServer(opts.socket(), recorder::handle, log)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                }));
                log.info("contxray recorder listening on " + opts.socket() + " (method " + program.method().reportName()
                        + ", cgroup2 at " + cgroups.mount() + ", state in " + opts.stateDir() + ", "
                        + recorder.activeCount() + " containers resumed)");
                server.serve();
            }
        }
    }

    /** bpffs must be mounted where the pins live; mount it if the host has not. */
    static void ensureBpffs(Path pinDir) throws IOException {
        Path bpffs = pinDir.getParent();
        if (isBpffs(bpffs)) {
            return;
        }
        Files.createDirectories(bpffs);
        Process p = new ProcessBuilder(List.of("mount", "-t", "bpf", "bpf", bpffs.toString()))
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IOException("mounting bpffs at " + bpffs + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("mounting bpffs at " + bpffs + ": interrupted");
        }
    }

    private static boolean isBpffs(Path dir) throws IOException {
        return MountInfo.read("bpf").contains(dir);
    }
}
