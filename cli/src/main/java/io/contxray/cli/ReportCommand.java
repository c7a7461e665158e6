package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", description = "Show a recorded container's report.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "Container id (full, as in /var/lib/contxray/containers/)")
    String id;

    @Option(names = "--json", description = "Print report.json as it is.")
    boolean json;

    @Option(names = "--top", description = "How many syscalls to list (default: ${DEFAULT-VALUE})")
    int top = 20;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        try {
            Path file = new StateDir(stateDir).containerDir(id).resolve("report.json");
            byte[] raw = readOutput(file, "report");
            if (json) {
                System.out.write(raw);
                System.out.flush();
            } else {
                print(Json.mapper().readTree(raw), file, System.out);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray report: " + e.getMessage());
            return 1;
        }
    }

    static byte[] readOutput(Path file, String what) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no " + what + " at " + file + " (not recorded, or the container has not stopped yet)");
        }
    }

    void print(JsonNode r, Path file, PrintStream out) {
        out.println("container  " + r.path("id").asText() + name(r));
        out.println("report     " + file);
        out.println("recorded   " + r.path("startedAt").asText() + " .. " + r.path("stoppedAt").asText()
                + "  (method " + r.path("recording").path("method").asText() + ", cut " + r.path("recording").path("cut").asText() + ")");
        out.println("cgroup     " + r.path("cgroupPath").asText() + " (id " + r.path("cgroupId").asText() + ")");
        JsonNode totals = r.path("totals");
        out.println("syscalls   " + totals.path("syscalls").asLong() + " calls, " + totals.path("distinct").asLong() + " distinct");
        // Under a seccomp filter the part that matters is what ran after it (the profile's part);
        // the runtime's own set-up before it is summed up in one line.
        boolean cut = !"none".equals(r.path("recording").path("cut").asText("none"));
        if (cut) {
            JsonNode before = r.path("syscallsBeforeFilter");
            out.println("  runtime set-up before the seccomp filter: " + sum(before) + " calls, " + before.size()
                    + " distinct (not in the profile)");
            out.println("  after the filter (runtime's last steps and the workload): " + sum(r.path("syscallsUnderFilter"))
                    + " calls, " + r.path("syscallsUnderFilter").size() + " distinct:");
        }
        printTop(cut ? r.path("syscallsUnderFilter") : r.path("syscalls"), out);
        JsonNode compat = r.path("compatSyscalls");
        if (compat.size() > 0) {
            out.println("compat     " + compat.size() + " distinct 32-bit syscalls");
        }
        long drops = r.path("drops").path("outOfRange").asLong();
        if (drops > 0) {
            out.println("drops      " + drops + " syscalls with numbers outside the table");
        }
        for (JsonNode err : r.path("errors")) {
            out.println("error      " + err.asText());
        }
        out.println("profile    " + file.resolveSibling("seccomp.json"));
    }

    private void printTop(JsonNode syscalls, PrintStream out) {
        List<Map.Entry<String, Long>> counts = new ArrayList<>();
        syscalls.fields().forEachRemaining(e -> counts.add(Map.entry(e.getKey(), e.getValue().asLong())));
        counts.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (Map.Entry<String, Long> e : counts.subList(0, Math.min(top, counts.size()))) {
            out.printf("  %-24s %12d%n", e.getKey(), e.getValue());
        }
        if (counts.size() > top) {
            out.println("  ... " + (counts.size() - top) + " more (--top N, or --json)");
        }
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong();
        }
        return total;
    }

    private static String name(JsonNode r) {
        String name = r.path("name").asText("");
        String image = r.path("image").asText("");
        if (name.isEmpty() && image.isEmpty()) {
            return "";
        }
        return "  (" + (name.isEmpty() ? "" : name) + (image.isEmpty() ? "" : (name.isEmpty() ? "" : ", ") + "image " + image) + ")";
    }
}
