package io.contxray.cli;

import io.contxray.model.Json;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ls", aliases = "list", description = {
        "List the recordings in the state directory, newest first: short id, name, image, start, state "
                + "(done: its report is written; recording: its latest run is registered, with no report yet).",
        "Examples:",
        "  contxray ls --image nginx",
        "  contxray ls -q --image nginx | xargs contxray profile merge -o /tmp/nginx",
        "Exit 0; 1 when the state directory cannot be read."})
final class LsCommand implements Callable<Integer> {
    /** One line of the listing. */
    record Entry(String id, String name, String image, String startedAt, String state) {
    }

    @Option(names = {"-q", "--quiet"}, description = "Only the full ids")
    boolean quiet;

    @Option(names = "--json", description = "A JSON list of {id, name, image, startedAt, state}")
    boolean json;

    @Option(names = "--name", description = "Only recordings of this container name")
    String name;

    @Option(names = "--image", description = "Only recordings whose image starts with this (nginx matches nginx:1.27)")
    String image;

    @Option(names = "--refs", hidden = true, description = "Short ids and names, one per line (shell completion)")
    boolean refs;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE})")
    Path stateDir = StateDir.fromEnvironment().root();

    static List<Entry> entries(StateDir state) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (io.contxray.model.RecordingHead.Head h : io.contxray.model.RecordingHead.of(state, state.containerIds())) {
            out.add(new Entry(h.id(), h.name(), h.image(), h.startedAt(), state(state.containerPath(h.id()), h)));
        }
        out.sort(Comparator.comparing((Entry e) -> e.startedAt() == null ? "" : e.startedAt()).reversed()
                .thenComparing(Entry::id));
        return out;
    }

    /** recording: its latest run is registered without a report yet; done: its report is written. */
    private static String state(Path dir, io.contxray.model.RecordingHead.Head h) throws IOException {
        if (io.contxray.model.Runs.inProgress(dir)) {
            return "recording";
        }
        return h.hasReport() ? "done" : "empty";
    }

    @Override
    public Integer call() {
        List<Entry> list;
        try {
            list = entries(new StateDir(stateDir)).stream()
                    .filter(e -> name == null || name.equals(e.name()))
                    .filter(e -> image == null || e.image() != null && e.image().startsWith(image))
                    .toList();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("contxray ls: " + io.contxray.model.Errors.oneLine(e));
            return 1;
        }
        if (json) {
            try {
                System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(list));
            } catch (IOException e) {
                System.err.println("contxray ls: " + io.contxray.model.Errors.oneLine(e));
                return 1;
            }
            return 0;
        }
        if (refs) {
            Map<String, Boolean> seen = new LinkedHashMap<>();
            list.forEach(e -> {
                seen.put(e.id().substring(0, Math.min(12, e.id().length())), true);
                if (e.name() != null) {
                    seen.put(e.name(), true);
                }
            });
            seen.keySet().forEach(System.out::println);
            return 0;
        }
        if (!quiet) {
            System.out.printf("%-12s  %-24s  %-28s  %-30s  %s%n", "ID", "NAME", "IMAGE", "STARTED", "STATE");
        }
        for (Entry e : list) {
            if (quiet) {
                System.out.println(e.id());
            } else {
                System.out.printf("%-12s  %-24s  %-28s  %-30s  %s%n", e.id().substring(0, Math.min(12, e.id().length())),
                        e.name() == null ? "-" : e.name(), e.image() == null ? "-" : e.image(),
                        e.startedAt() == null ? "-" : e.startedAt(), e.state());
            }
        }
        return 0;
    }
}
