package io.contxray.model;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The per-container event log, one {@link ContainerEvent} per line: {@code events.jsonl} (current),
 * and once it has rotated, {@code events.0.jsonl} (the first file: the container's start, never
 * rotated away) and {@code events.1.jsonl} (the latest rotated file). Written by the recorder,
 * read here.
 */
public final class EventLog {
    public static final String CURRENT = "events.jsonl";
    /**
     * The first file of a log that rotated, kept for the recording's life: a container's first
     * processes (the tree's root) and its listens usually come at its start, and inference and the
     * process tree need them however long it runs.
     */
    public static final String FIRST = "events.0.jsonl";
    public static final String ROTATED = "events.1.jsonl";
    /** Small JSON file next to the log: {@code {"rotatedEvents": N}}, events lost to rotation. */
    public static final String STATE = "events.state.json";

    private static final ObjectReader READER = Json.mapper().readerFor(ContainerEvent.class);

    private EventLog() {
    }

    /** What {@link #read} saw besides the events. */
    public record ReadResult(long events, long unreadableLines, String firstProblem) {
    }

    /** Streams the first file, the rotated one, then the current one: oldest first; unreadable lines are counted. */
    public static ReadResult read(Path containerDir, Consumer<ContainerEvent> sink) throws IOException {
        long events = 0;
        long bad = 0;
        String problem = null;
        for (String name : new String[] {FIRST, ROTATED, CURRENT}) {
            Path file = containerDir.resolve(name);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long lineNo = 0;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    ContainerEvent e;
                    try {
                        e = READER.readValue(line);
                    } catch (IOException ex) {
                        // e.g. the torn last line of a recorder killed mid-write
                        bad++;
                        if (problem == null) {
                            problem = file + " line " + lineNo + ": " + Errors.oneLine(ex);
                        }
                        continue;
                    }
                    events++;
                    sink.accept(e);
                }
            } catch (NoSuchFileException e) {
                // no events (yet), or never rotated
            }
        }
        return new ReadResult(events, bad, problem);
    }

    /** Number of lines in a file (0 if missing): used to count what a rotation deletes. */
    public static long countLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
