package io.contxray.recorder;

import io.contxray.model.AtomicFiles;
import io.contxray.model.ContainerEvent;
import io.contxray.model.Errors;
import io.contxray.model.EventLog;
import io.contxray.model.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Appends one container's events to {@code events.jsonl}, buffered. The files are bounded: a line
 * that would take the current one past {@code maxBytes} first rotates it. The first time, it
 * becomes {@code events.0.jsonl} and is kept (the container's start); after that it replaces
 * {@code events.1.jsonl}, whose events are counted as lost, in {@code events.state.json} so that a
 * restarted recorder keeps the count. So at most three files of {@code maxBytes}. Write errors
 * (disk full) never stop the recorder: the events are counted as lost and the first error is
 * kept. Thread-safe.
 */
final class EventLogWriter implements AutoCloseable {
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    static final String PERMS = "rw-------"; // argv can hold secrets

    private final Path dir;
    private final long maxBytes;
    private final EventJson json = new EventJson();
    private OutputStream out;
    private long size;
    /** Lines of events.jsonl and of events.1.jsonl, kept here so that rotating reads no file. */
    private long lines;
    private long rotatedLines;
    /** events.0.jsonl exists: rotations go to events.1.jsonl. */
    private boolean firstKept;
    private long rotated;
    private long failed;
    private String firstFailure;
    private boolean closed;

    /** Opens (appends to) dir/events.jsonl, e.g. after a recorder restart. */
    EventLogWriter(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("event log bound must be positive, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.rotated = readRotated(dir);
        open();
        // a recorder restart appends to the files of the one before: count them once, here
        this.lines = size == 0 ? 0 : EventLog.countLines(dir.resolve(EventLog.CURRENT));
        this.rotatedLines = EventLog.countLines(dir.resolve(EventLog.ROTATED));
        this.firstKept = Files.exists(dir.resolve(EventLog.FIRST));
    }

    /** Deletes a previous recording's event log in dir (same container id recorded again). */
    static void deleteLog(Path dir) throws IOException {
        for (String name : new String[] {EventLog.CURRENT, EventLog.FIRST, EventLog.ROTATED, EventLog.STATE}) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    private void open() throws IOException {
        Path file = dir.resolve(EventLog.CURRENT);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PERMS)));
        }
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                1 << 16);
        size = Files.size(file);
    }

    synchronized void append(ContainerEvent e) {
        if (closed) {
            failed++;
            return;
        }
        try {
            int length = json.encode(e);
            long need = length + 1L;
            if (size > 0 && size + need > maxBytes) {
                rotate();
            }
            out.write(json.bytes(), 0, length);
            out.write('\n');
            size += need;
            lines++;
        } catch (IOException | RuntimeException ex) {
            fail(ex);
        }
    }

    private void rotate() throws IOException {
        out.close();
        Path current = dir.resolve(EventLog.CURRENT);
        if (!firstKept) {
            Files.move(current, dir.resolve(EventLog.FIRST), StandardCopyOption.ATOMIC_MOVE);
            firstKept = true;
            lines = 0;
            open();
            return;
        }
        rotated += rotatedLines;
        Files.move(current, dir.resolve(EventLog.ROTATED), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        rotatedLines = lines;
        lines = 0;
        // not forced to disk: an fsync here made the file system write out the rotated log first
        AtomicFiles.writeJsonUnsynced(dir.resolve(EventLog.STATE), Map.of("rotatedEvents", rotated), "rw-r--r--");
        open();
    }

    synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        failed++;
        if (firstFailure == null) {
            firstFailure = "writing " + dir.resolve(EventLog.CURRENT) + ": " + Errors.oneLine(e);
        }
    }

    /** Events deleted by rotation, over the whole recording. */
    synchronized long rotated() {
        return rotated;
    }

    /** Events that could not be written. */
    synchronized long failed() {
        return failed;
    }

    synchronized String firstFailure() {
        return firstFailure;
    }

    /** Flushes and closes; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            fail(e);
        }
        closed = true;
    }

    private static long readRotated(Path dir) {
        Path state = dir.resolve(EventLog.STATE);
        if (!Files.exists(state)) {
            return 0;
        }
        try {
            return Json.mapper().readTree(state.toFile()).path("rotatedEvents").asLong(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
