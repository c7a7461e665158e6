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

@Command(name = "status", description = {"Ask the recorder which containers it is recording.",
        "Exit 0: it answered; 1: it is not running, or answered with an error (5 s limit)."})
final class StatusCommand implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--json", description = "{\"method\": ..., \"containers\": [{id, slot, cgroupPath, registeredAt, ...}]}")
    boolean json;

    @Override
    public Integer call() {
        try {
            Response r = new DaemonClient(Protocol.socketPath(), Duration.ofSeconds(5)).call(Request.status());
            if (!r.ok()) {
                System.err.println("contxray status: " + r.error());
                return 1;
            }
            if (json) {
                Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("method", r.method());
                out.put("containers", r.containers());
                System.out.println(io.contxray.model.Json.pretty(out));
                return 0;
            }
            System.out.println("recorder up, method " + r.method() + ", " + r.containers().size() + " container(s) recorded");
            for (Map<String, Object> c : r.containers()) {
                System.out.println("  " + c.get("id") + "  slot " + c.get("slot") + "  cgroup " + c.get("cgroupPath")
                        + "  since " + c.get("registeredAt"));
            }
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("contxray status: " + io.contxray.model.Errors.oneLine(e));
            return 1;
        } catch (DaemonException e) {
            System.err.println("contxray status: " + e.getMessage());
            return 1;
        }
    }
}
