package io.contxray.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which finished recordings to remove: past the newest {@code keep}, or stopped longer than
 * {@code maxAge} ago. A recording without a report (in progress, or waiting to be recovered) and
 * one the recorder says it records are never chosen; stored profiles are not recordings and are
 * never looked at.
 */
public final class Retention {
    /** @param keep how many of the newest recordings stay at least (null: no bound); maxAge null: none */
    public record Settings(Integer keep, Duration maxAge) {
        public Settings {
            if (keep != null && keep < 0) {
                throw new IllegalArgumentException("keep must be 0 or more, got " + keep);
            }
            if (maxAge != null && maxAge.isNegative()) {
                throw new IllegalArgumentException("the age must not be negative, got " + maxAge);
            }
        }
    }

    private Retention() {
    }

    public static List<RecordingHead.Head> select(List<RecordingHead.Head> heads, Set<String> active, Instant now,
                                                  Settings s) {
        List<RecordingHead.Head> done = new ArrayList<>(heads.stream()
                .filter(h -> h.hasReport() && !active.contains(h.id())).toList());
        done.sort(Comparator.comparing(Retention::when).reversed().thenComparing(RecordingHead.Head::id));
        List<RecordingHead.Head> out = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            RecordingHead.Head h = done.get(i);
            boolean pastKeep = s.keep() != null && i >= s.keep();
            boolean tooOld = s.maxAge() != null && when(h).isBefore(now.minus(s.maxAge()));
            if (pastKeep || tooOld) {
                out.add(h);
            }
        }
        return out;
    }

    /** When it stopped (else started; else the epoch: oldest). */
    static Instant when(RecordingHead.Head h) {
        for (String t : new String[] {h.stoppedAt(), h.startedAt()}) {
            if (t != null) {
                try {
                    return Instant.parse(t);
                } catch (DateTimeParseException e) {
                    // not a time: try the other one
                }
            }
        }
        return Instant.EPOCH;
    }

    /** "7d", "12h", "30m", "90s" (or an ISO-8601 duration such as PT36H). */
    public static Duration parseAge(String text) {
        String t = text.trim();
        try {
            if (t.matches("[0-9]{1,9}[dhms]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an age (7d, 12h, 30m, 90s or PT36H)");
        }
    }

    /**
     * Removes one recording's directory: first renamed out of the way (a name no id can have, so a
     * half-removed directory is never taken for a recording), then deleted without following links.
     */
    public static void remove(StateDir state, String id) throws IOException {
        Path dir = state.containerPath(id);
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("removing " + dir + ": not a directory");
        }
        Path gone = dir.resolveSibling(".removing-" + id);
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(gone);
        } catch (IOException e) {
            throw new IOException("removing " + dir + ": " + Errors.oneLine(e), e);
        }
    }
}
