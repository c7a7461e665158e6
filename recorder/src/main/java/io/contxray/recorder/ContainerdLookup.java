package io.contxray.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Commands;
import io.contxray.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A containerd container's image and name, from containerd's own record of it (its image and
 * labels: nerdctl's and Kubernetes' names). Which containerd, and which namespace, come from the
 * container's shim: an ancestor of its init process runs with {@code -namespace NS -address
 * SOCKET}. The record is read with {@code ctr containers info}, bounded.
 */
final class ContainerdLookup {
    /** Labels that name a container, in order of preference. */
    private static final List<String> NAME_LABELS = List.of("nerdctl/name", "io.kubernetes.container.name");
    private static final int MAX_ANCESTORS = 8;

    record Endpoint(String address, String namespace) {
    }

    record Identity(String name, String image) {
    }

    private final Path proc;
    private final String ctr;
    private final Duration timeout;

    ContainerdLookup(Path proc, String ctr, Duration timeout) {
        this.proc = proc;
        this.ctr = ctr;
        this.timeout = timeout;
    }

    static ContainerdLookup host() {
        return new ContainerdLookup(Path.of("/proc"), "ctr", Duration.ofSeconds(2));
    }

    /** The containerd serving the process's shim, walking up from pid; empty when there is none. */
    Optional<Endpoint> endpointOf(int pid) {
        int p = pid;
        for (int i = 0; i < MAX_ANCESTORS && p > 1; i++) {
            Optional<Endpoint> e = fromArgs(cmdline(p));
            if (e.isPresent()) {
                return e;
            }
            p = parentOf(p);
        }
        return Optional.empty();
    }

    /** {@code -address A -namespace N} (or --address=, --namespace=) in a shim's arguments. */
    static Optional<Endpoint> fromArgs(List<String> args) {
        String address = null;
        String namespace = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (a.equals("-address") || a.equals("--address")) {
                address = next;
            } else if (a.startsWith("-address=") || a.startsWith("--address=")) {
                address = a.substring(a.indexOf('=') + 1);
            } else if (a.equals("-namespace") || a.equals("--namespace")) {
                namespace = next;
            } else if (a.startsWith("-namespace=") || a.startsWith("--namespace=")) {
                namespace = a.substring(a.indexOf('=') + 1);
            }
        }
        if (address == null || namespace == null || !address.startsWith("/") || !namespace.matches("[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(address, namespace));
    }

    /** The container's image and name as containerd records them; empty when it cannot tell. */
    Optional<Identity> describe(Endpoint e, String containerId) {
        try {
            Commands.Result r = Commands.run(timeout, List.of(ctr, "--address", e.address(), "--namespace", e.namespace(),
                    "containers", "info", containerId));
            return r.code() == 0 ? parseInfo(Json.mapper().readTree(r.out())) : Optional.empty();
        } catch (IOException notAnswered) {
            return Optional.empty(); // no ctr, containerd down or slow: the report goes without
        }
    }

    static Optional<Identity> parseInfo(JsonNode info) {
        String image = info.path("Image").asText("");
        String name = null;
        for (String label : NAME_LABELS) {
            String v = info.path("Labels").path(label).asText("");
            if (!v.isEmpty()) {
                name = v;
                break;
            }
        }
        if (image.isEmpty() && name == null) {
            return Optional.empty();
        }
        return Optional.of(new Identity(name, image.isEmpty() ? null : image));
    }

    private List<String> cmdline(int pid) {
        try {
            String raw = new String(Files.readAllBytes(proc.resolve(Integer.toString(pid)).resolve("cmdline")),
                    StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>(List.of(raw.split("\0")));
            out.removeIf(String::isEmpty);
            return out;
        } catch (IOException gone) {
            return List.of();
        }
    }

    private int parentOf(int pid) {
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(rest[1]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
