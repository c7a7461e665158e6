package io.contxray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.contxray.analyzer.UnionReport;
import io.contxray.model.Json;
import io.contxray.model.Runs;
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
    @Parameters(index = "0", paramLabel = "CONTAINER", completionCandidates = CompletionCommand.RecordedContainers.class, description = "A recorded container: its id, a unique id prefix, "
            + "or its name (NAME@N: the N-th latest recording of that name)")
    String id;

    @Option(names = "--json", description = "Print report.json as it is.")
    boolean json;

    @Option(names = "--run", paramLabel = "N", description = "One run's report (runs/N/report.json) instead of the union of all runs")
    Integer run;

    @Option(names = "--top", description = "How many syscalls to list (default: ${DEFAULT-VALUE})")
    int top = 20;

    @Option(names = "--processes", description = "How many process tree lines to show (default: ${DEFAULT-VALUE})")
    int processLines = 30;

    @Option(names = "--files", description = "How many files to list per class (default: ${DEFAULT-VALUE})")
    int filesPerClass = 5;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    @Override
    public Integer call() {
        try {
            Path dir = new ContainerRefs(new StateDir(stateDir)).resolve(id);
            Path file = (run == null ? dir : Runs.dir(dir, run)).resolve(StateDir.REPORT_JSON);
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

    /** Listening ports, then connections out and in, one line each (already aggregated). */
    static void printNetwork(JsonNode n, PrintStream out) {
        if (!n.isObject()) {
            return;
        }
        int total = n.path("listening").size() + n.path("outbound").size() + n.path("inbound").size()
                + n.path("datagrams").size() + n.path("unix").size();
        out.println("network    " + (total == 0 ? "no socket activity" : n.path("listening").size() + " listening, "
                + n.path("outbound").size() + " outbound, " + n.path("inbound").size() + " inbound (TCP); "
                + n.path("datagrams").size() + " datagram, " + n.path("unix").size() + " unix destinations"));
        for (JsonNode l : n.path("listening")) {
            out.println("  listen   " + l.path("address").asText() + ":" + l.path("port").asInt());
        }
        for (JsonNode o : n.path("outbound")) {
            out.println("  out      -> " + o.path("remote").asText() + ":" + o.path("port").asInt() + peer(o) + "  x"
                    + o.path("count").asLong());
        }
        for (JsonNode i : n.path("inbound")) {
            out.println("  in       <- " + i.path("remote").asText() + peer(i) + " on :" + i.path("localPort").asInt() + "  x"
                    + i.path("count").asLong());
        }
        for (JsonNode d : n.path("datagrams")) {
            out.println(String.format("  %-8s -> %s:%d%s%s", d.path("protocol").asText(), d.path("remote").asText(),
                    d.path("port").asInt(), peer(d), calls(d)));
        }
        for (JsonNode u : n.path("unix")) {
            out.println("  unix     -> " + u.path("path").asText() + calls(u));
        }
    }

    /** "  connect x1  send x3  (ENOENT x1)": a destination's calls. */
    private static String calls(JsonNode d) {
        StringBuilder s = new StringBuilder();
        if (d.path("connects").asLong() > 0) {
            s.append("  connect x").append(d.path("connects").asLong());
        }
        if (d.path("sends").asLong() > 0) {
            s.append("  send x").append(d.path("sends").asLong());
        }
        d.path("errors").fields().forEachRemaining(e -> s.append("  (").append(e.getKey()).append(" x")
                .append(e.getValue().asLong()).append(')'));
        return s.toString();
    }

    /** Per class, its most used entries (host binds with their host path), then how many more. */
    void printFiles(JsonNode f, PrintStream out) {
        if (!f.isObject()) {
            return;
        }
        out.println("files      " + f.path("events").asLong() + " calls (" + f.path("failed").asLong() + " failed), "
                + f.path("entries").asLong() + " distinct (path, access), method " + f.path("method").asText());
        f.path("byClass").fields().forEachRemaining(c -> {
            List<JsonNode> entries = new ArrayList<>();
            c.getValue().forEach(entries::add);
            if (entries.isEmpty()) {
                return;
            }
            out.println("  " + c.getKey() + ": " + entries.size() + " entries");
            entries.sort(java.util.Comparator.comparingLong((JsonNode e) -> e.path("count").asLong()).reversed());
            for (JsonNode e : entries.subList(0, Math.min(filesPerClass, entries.size()))) {
                out.println("    " + fileEntry(e));
            }
            if (entries.size() > filesPerClass) {
                out.println("    ... " + (entries.size() - filesPerClass) + " more (--files N, or --json)");
            }
        });
        if (f.path("omitted").asLong() > 0) {
            out.println("  " + f.path("omitted").asLong() + " calls not listed (too many distinct paths)");
        }
    }

    private static String fileEntry(JsonNode e) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%-9s %s", e.path("access").asText(),
                e.path("path").asText()));
        if (e.has("newPath")) {
            sb.append(" -> ").append(e.path("newPath").asText());
        }
        sb.append("  x").append(e.path("count").asLong());
        List<String> errors = new ArrayList<>();
        e.path("errors").fields().forEachRemaining(er -> errors.add(er.getKey() + " x" + er.getValue().asLong()));
        if (!errors.isEmpty()) {
            sb.append("  failed: ").append(String.join(", ", errors));
        }
        if (e.has("hostSource")) {
            sb.append("  (host ").append(e.path("hostSource").asText())
                    .append(e.path("hostReadOnly").asBoolean() ? ", read-only" : "")
                    .append(e.path("runtimeManaged").asBoolean() ? ", managed by the engine)" : ")");
        }
        return sb.toString();
    }

    /** socket's families and personality's values, and why one cannot get an argument filter. */
    static void printArguments(JsonNode a, PrintStream out) {
        List<String> seen = new ArrayList<>();
        List<String> notFilterable = new ArrayList<>();
        a.path("syscalls").fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().path("values").forEach(v -> values.add(v.path("name").asText() + " x" + v.path("count").asLong()));
            seen.add(e.getKey() + "(" + String.join(", ", values) + ")");
            if (!e.getValue().path("filterable").asBoolean()) {
                notFilterable.add(e.getKey() + ": " + e.getValue().path("reason").asText());
            }
        });
        if (seen.isEmpty()) {
            return;
        }
        out.println("arguments  " + String.join(" ", seen));
        for (String n : notFilterable) {
            out.println("  values not all known, Docker's default rule kept for " + n);
        }
    }

    /** The profile's argument rules: "arg rules  clone only for none; socket only for AF_INET AF_UNIX". */
    static void printArgumentRules(Path seccomp, PrintStream out) {
        io.contxray.analyzer.ArgumentFilters.Known known;
        try {
            known = io.contxray.analyzer.ArgumentFilters.fromProfile(io.contxray.analyzer.SeccompProfiles.read(seccomp));
        } catch (IOException e) {
            return; // the profile line below still names the file; report prints what the report says
        }
        List<String> rules = new ArrayList<>();
        known.values().forEach((name, values) -> {
            List<String> named = new ArrayList<>();
            values.forEach(v -> named.add(io.contxray.analyzer.ArgumentFilters.valueName(name, v)));
            rules.add(name + " only for " + String.join(" ", named));
        });
        if (!rules.isEmpty()) {
            out.println("arg rules  " + String.join("; ", rules));
        }
    }

    /** The recommended set with how it was found and the docker flags; then what was not recommended. */
    static void printCapabilities(JsonNode c, PrintStream out) {
        if (!c.isObject()) {
            return;
        }
        List<String> names = new ArrayList<>();
        c.path("recommended").forEach(n -> names.add(n.asText()));
        out.println("capabilities " + (names.isEmpty() ? "none needed" : String.join(" ", names)) + "  (method "
                + c.path("method").asText() + ")");
        out.println("  " + c.path("dockerFlags").asText());
        for (JsonNode cap : c.path("required")) {
            out.println("  " + capability(cap));
        }
        for (JsonNode cap : c.path("possible")) {
            out.println("  possible, not recommended: " + capability(cap));
        }
        for (JsonNode cap : c.path("deniedChecks")) {
            out.println("  denied to the workload (it ran without): " + capability(cap));
        }
        List<String> quiet = new ArrayList<>();
        c.path("ignoredNoAuditChecks").forEach(cap -> quiet.add(capability(cap)
                + (cap.path("granted").asBoolean() ? " granted" : " denied")));
        if (!quiet.isEmpty()) {
            out.println("  not needed, asked without auditing (overcommit, /proc): " + String.join(", ", quiet));
        }
    }

    private static String capability(JsonNode cap) {
        List<String> evidence = new ArrayList<>();
        cap.path("evidence").forEach(n -> evidence.add(n.asText()));
        return cap.path("capability").asText() + " x" + cap.path("count").asLong()
                + (evidence.isEmpty() ? "" : ": " + String.join(", ", evidence));
    }

    private static String peer(JsonNode connection) {
        JsonNode p = connection.path("peer");
        return p.isObject() ? " (" + p.path("name").asText(p.path("id").asText()) + ")" : "";
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
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
        if (UnionReport.SCHEMA.equals(r.path("schema").asText())) {
            printUnion(r, file, out);
            return;
        }
        out.println("recorded   " + r.path("startedAt").asText() + " .. " + r.path("stoppedAt").asText()
                + "  (method " + r.path("recording").path("method").asText() + ", cut " + r.path("recording").path("cut").asText() + ")");
        out.println("cgroup     " + r.path("cgroupPath").asText() + " (id " + r.path("cgroupId").asText() + ")");
        JsonNode totals = r.path("totals");
        JsonNode rollout = r.path("rollout");
        if (rollout.isObject()) {
            JsonNode v = rollout.path("violations");
            out.println("rollout    " + rollout.path("mode").asText() + " with profile " + rollout.path("profile").asText() + ": "
                    + (v.isObject() ? v.size() + " violation(s)" + (v.size() > 0 ? ": " + String.join(" ", iterable(v.fieldNames())) : "")
                    : rollout.path("problem").asText()));
        }
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
        printArguments(r.path("argumentValues"), out);
        printArgumentRules(file.resolveSibling("seccomp.json"), out);
        printProcesses(r.path("processes"), out);
        printNetwork(r.path("network"), out);
        printFiles(r.path("files"), out);
        printCapabilities(r.path("capabilities"), out);
        long drops = r.path("drops").path("outOfRange").asLong();
        if (drops > 0) {
            out.println("drops      " + drops + " syscalls with numbers outside the table");
        }
        long eventDrops = r.path("drops").path("events").asLong();
        long rotated = r.path("drops").path("rotated").asLong();
        if (eventDrops > 0 || rotated > 0) {
            out.println("drops      " + eventDrops + " events lost in the kernel (ring buffer full: exec "
                    + r.path("drops").path("eventsByType").path("exec").asLong() + "), " + rotated
                    + " deleted by events.jsonl rotation");
        }
        for (JsonNode err : r.path("errors")) {
            out.println("error      " + err.asText());
        }
        out.println("profile    " + file.resolveSibling("seccomp.json"));
    }

    /** A v2 report, the union of the runs: the runs, the summed syscalls, the union capabilities. */
    private void printUnion(JsonNode r, Path file, PrintStream out) {
        JsonNode runs = r.path("runs");
        out.println("runs       " + runs.path("count").asInt() + " recorded, union of all (" + runs.path("kept").asInt()
                + " kept in runs/, " + runs.path("dropped").asInt() + " dropped past the retention bound, still in the union)");
        for (JsonNode one : runs.path("list")) {
            out.println("  run " + one.path("run").asInt() + "  " + one.path("startedAt").asText() + " .. "
                    + one.path("stoppedAt").asText() + "  " + one.path("distinctSyscalls").asInt() + " distinct syscalls"
                    + (one.path("recoveredAfterRestart").asBoolean() ? "  (recovered after a recorder restart)" : "")
                    + (one.path("errors").asInt() > 0 ? "  " + one.path("errors").asInt() + " error(s)" : ""));
        }
        out.println("  one run's processes, network and files: contxray report " + r.path("id").asText() + " --run N");
        JsonNode totals = r.path("totals");
        out.println("syscalls   " + totals.path("syscalls").asLong() + " calls, " + totals.path("distinct").asLong()
                + " distinct, over all runs");
        printTop(r.path("syscalls"), out);
        JsonNode compat = r.path("compatSyscalls");
        if (compat.size() > 0) {
            out.println("compat     " + compat.size() + " distinct 32-bit syscalls");
        }
        printCapabilities(r.path("capabilities"), out);
        for (JsonNode err : r.path("errors")) {
            out.println("error      " + err.asText());
        }
        out.println("profile    " + file.resolveSibling("seccomp.json") + "  (coverage per run: "
                + file.resolveSibling("coverage.json") + ")");
        // the newest run in full: what a single-run container's report always showed
        Path latest = Runs.dir(file.getParent(), runs.path("latest").asInt(1)).resolve(StateDir.REPORT_JSON);
        if (runs.path("kept").asInt() > 0 && Files.isRegularFile(latest)) {
            out.println();
            out.println("latest run " + runs.path("latest").asInt() + ":");
            try {
                print(Json.mapper().readTree(latest.toFile()), latest, out);
            } catch (IOException e) {
                out.println("error      reading " + latest + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** The processes section: counts, the workload's pid 1, the runtime's set-up, then the tree. */
    void printProcesses(JsonNode p, PrintStream out) {
        if (p.isMissingNode() || p.isNull()) {
            return;
        }
        out.println("processes  " + p.path("execCount").asLong() + " execs (" + p.path("workloadExecCount").asLong()
                + " by the workload), " + p.path("forkCount").asLong() + " forks, " + p.path("exitCount").asLong()
                + " exits");
        JsonNode init = p.path("workloadInit");
        if (init.isObject()) {
            out.println("  workload pid 1: " + init.path("pid").asInt() + " " + command(init));
        } else if (p.path("execCount").asLong() > 0) {
            out.println("  workload pid 1: not recorded (the entrypoint's exec is not in the event log)");
        }
        if (p.path("runtimePids").size() > 0) {
            List<String> pids = new ArrayList<>();
            p.path("runtimePids").forEach(n -> pids.add(n.asText()));
            out.println("  runtime set-up (not the workload): pid " + String.join(", ", pids));
        }
        JsonNode tree = p.path("tree");
        if (tree.size() == 0) {
            return;
        }
        // children by parent pid, in order; a reused pid has several nodes, each printed once
        Map<Integer, List<JsonNode>> byPid = new java.util.HashMap<>();
        tree.forEach(n -> byPid.computeIfAbsent(n.path("pid").asInt(), k -> new ArrayList<>()).add(n));
        java.util.Set<JsonNode> printed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Deque<Map.Entry<JsonNode, Integer>> stack = new java.util.ArrayDeque<>();
        List<JsonNode> roots = new ArrayList<>();
        tree.forEach(n -> {
            JsonNode ppid = n.path("ppid");
            boolean parentKnown = ppid.isInt() && byPid.containsKey(ppid.asInt());
            if (!parentKnown) {
                roots.add(n);
            }
        });
        if (roots.isEmpty()) {
            roots.add(tree.get(0));
        }
        out.println("  tree:");
        int lines = 0;
        for (int ri = roots.size() - 1; ri >= 0; ri--) {
            stack.push(Map.entry(roots.get(ri), 0));
        }
        while (!stack.isEmpty() && lines < processLines) {
            Map.Entry<JsonNode, Integer> top = stack.pop();
            JsonNode n = top.getKey();
            if (!printed.add(n)) {
                continue;
            }
            out.println("    " + "  ".repeat(Math.min(top.getValue(), 20)) + describe(n));
            lines++;
            List<JsonNode> kids = new ArrayList<>();
            for (JsonNode c : n.path("children")) {
                for (JsonNode cand : byPid.getOrDefault(c.asInt(), List.of())) {
                    if (!printed.contains(cand) && cand.path("ppid").asInt() == n.path("pid").asInt()
                            && !kids.contains(cand)) {
                        kids.add(cand);
                        break;
                    }
                }
            }
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(Map.entry(kids.get(i), top.getValue() + 1));
            }
        }
        int shown = printed.size();
        long total = tree.size() + p.path("treeOmitted").asLong();
        if (shown < total) {
            out.println("    ... " + (total - shown) + " more processes (--processes N, or --json)");
        }
    }

    private static String describe(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        sb.append(n.path("pid").asInt());
        String role = n.path("role").asText("");
        if (!"workload".equals(role)) {
            sb.append(" [").append(role).append(']');
        }
        sb.append(' ');
        if (n.has("filename")) {
            sb.append(command(n));
        } else {
            sb.append('(').append(n.path("comm").asText("?")).append(", no exec)");
        }
        if (n.path("execs").asInt() > 1) {
            sb.append("  (").append(n.path("execs").asInt()).append(" execs)");
        }
        if (n.has("signal")) {
            sb.append("  killed by signal ").append(n.path("signal").asInt());
        } else if (n.has("exitCode")) {
            sb.append("  exit ").append(n.path("exitCode").asInt());
        } else {
            sb.append("  (running at stop)");
        }
        if (n.has("lifetimeMs")) {
            sb.append(String.format(java.util.Locale.ROOT, "  %.1f ms", n.path("lifetimeMs").asDouble()));
        }
        return sb.toString();
    }

    /** filename and argv (argv[0] when it differs from the filename), shell-quoted, cut at 160 chars. */
    private static String command(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.path("filename").asText(""));
        JsonNode argv = n.path("argv");
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i).asText();
            if (i == 0 && a.equals(n.path("filename").asText())) {
                continue;
            }
            sb.append(' ').append(i == 0 ? "[" + quote(a) + "]" : quote(a));
        }
        String s = sb.toString();
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    private static String quote(String a) {
        if (!a.isEmpty() && a.matches("[A-Za-z0-9_./=:,+@%-]+")) {
            return a;
        }
        return "'" + a.replace("'", "'\\''") + "'";
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
