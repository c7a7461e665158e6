package io.contxray.cli;

import io.contxray.model.protocol.DaemonClient;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Protocol;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Ask the recorder which containers it is recording.")
final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        try {
            Response r = new DaemonClient(Protocol.socketPath(), Duration.ofSeconds(5)).call(Request.status());
            if (!r.ok()) {
                System.err.println("contxray status: " + r.error());
                return 1;
            }
            System.out.println("recorder up, method " + r.method() + ", " + r.containers().size() + " container(s) recorded");
            for (Map<String, Object> c : r.containers()) {
                System.out.println("  " + c.get("id") + "  slot " + c.get("slot") + "  cgroup " + c.get("cgroupPath")
                        + "  since " + c.get("registeredAt"));
            }
            return 0;
        } catch (DaemonException e) {
            System.err.println("contxray status: " + e.getMessage());
            return 1;
        }
    }
}
