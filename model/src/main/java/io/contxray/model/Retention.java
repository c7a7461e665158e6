package io.contxray.model;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Which finished recordings to remove: past the newest {@code keep}, stopped longer than
 * {@code maxAge} ago, or past {@code maxBytes} of disk counted from the newest. A recording without
 * a report, one whose latest run has no report yet (in progress, or waiting to be recovered) and
 * one the recorder says it records are never chosen; stored profiles are not recordings and are
 * never looked at.
 */
public final class Retention {
    /**
     * @param keep     how many of the newest finished recordings stay at most (null: no bound)
     * @param maxAge   finished recordings stopped longer ago go (null: no bound)
     * @param maxBytes the newest finished recordings that fit in this many bytes stay (null: no bound)
     */
    public record Settings(Integer keep, Duration maxAge, Long maxBytes) {
        public Settings {
            if (keep != null && keep < 0) {
                throw new IllegalArgumentException("keep must be 0 or more, got " + keep);
            }
            if (maxAge != null && maxAge.isNegative()) {
                throw new IllegalArgumentException("the age must not be negative, got " + maxAge);
            }
            if (maxBytes != null && maxBytes < 0) {
                throw new IllegalArgumentException("the disk bound must not be negative, got " + maxBytes);
            }
        }

        public Settings(Integer keep, Duration maxAge) {
            this(keep, maxAge, null);
        }

        public boolean none() {
            return keep == null && maxAge == null && maxBytes == null;
        }

        @Override
        public String toString() {
            return "keep " + (keep == null ? "any number" : keep) + ", age " + (maxAge == null ? "any" : maxAge)
                    + ", disk " + (maxBytes == null ? "any" : maxBytes + " bytes");
        }
    }

    /** A recording chosen for removal and the bound it is past (for the log line). */
    public record Removal(RecordingHead.Head head, String reason) {
    }

    private Retention() {
    }

    /**
     * The recordings of {@code state} to remove under {@code s}, among those {@code only} keeps:
     * never one in {@code active} (what the recorder records) nor one whose latest run is in
     * progress on disk.
     */
    public static List<Removal> choose(StateDir state, Set<String> active, Instant now, Settings s,
                                       Predicate<RecordingHead.Head> only) throws IOException {
        Set<String> busy = new HashSet<>(active);
        List<String> ids = state.containerIds();
        for (String id : ids) {
            if (Runs.inProgress(state.containerPath(id))) {
                busy.add(id);
            }
        }
        List<RecordingHead.Head> heads = RecordingHead.of(state, ids).stream().filter(only).toList();
        return select(heads, busy, now, s, h -> bytes(state.containerPath(h.id())));
    }

    /** {@link #select(List, Set, Instant, Settings, ToLongFunction)} without a disk bound. */
    public static List<Removal> select(List<RecordingHead.Head> heads, Set<String> active, Instant now, Settings s) {
        if (s.maxBytes() != null) {
            throw new IllegalArgumentException("a disk bound needs the recordings' sizes");
        }
        return select(heads, active, now, s, h -> 0);
    }

    /** @param bytes a finished recording's size on disk (asked only with a disk bound, newest first) */
    public static List<Removal> select(List<RecordingHead.Head> heads, Set<String> active, Instant now, Settings s,
                                       ToLongFunction<RecordingHead.Head> bytes) {
        List<RecordingHead.Head> done = new ArrayList<>(heads.stream()
                .filter(h -> h.hasReport() && !active.contains(h.id())).toList());
        done.sort(Comparator.comparing(Retention::when).reversed().thenComparing(RecordingHead.Head::id));
        List<Removal> out = new ArrayList<>();
        long used = 0;
        for (int i = 0; i < done.size(); i++) {
            RecordingHead.Head h = done.get(i);
            if (s.keep() != null && i >= s.keep()) {
                out.add(new Removal(h, "past the newest " + s.keep()));
            } else if (s.maxAge() != null && when(h).isBefore(now.minus(s.maxAge()))) {
                out.add(new Removal(h, "stopped more than " + s.maxAge() + " ago"));
            } else if (s.maxBytes() != null && (used += bytes.applyAsLong(h)) > s.maxBytes()) {
                out.add(new Removal(h, "past " + s.maxBytes() + " bytes of newer recordings"));
            }
        }
        return out;
    }

    /** Bytes of the regular files below {@code dir} (links not followed; 0 when it is gone). */
    public static long bytes(Path dir) {
        long[] sum = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        sum[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed meanwhile: it takes no room
                }
            });
        } catch (IOException e) {
            return sum[0];
        }
        return sum[0];
    }

    /** "512M", "2G", "1024k", "4096" (bytes; k/M/G/T are powers of 1024). */
    public static long parseBytes(String text) {
        String t = text.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,15})([kKMGT]?)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size (4096, 512M, 2G)");
        }
        int shift = switch (m.group(2)) {
            case "k", "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("\"" + text + "\" is too large a size");
        }
        return n << shift;
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
     * Removes one recording's directory: {@link #detach} then deleted.
     */
    public static void remove(StateDir state, String id) throws IOException {
        Path gone = detach(state, id);
        try {
            FileTrees.delete(gone);
        } catch (IOException e) {
            throw new IOException("removing " + gone + ": " + Errors.oneLine(e), e);
        }
    }

    /**
     * Renames a recording's directory out of the way, to a name no id can have, so a half-removed
     * directory is never taken for a recording; the caller deletes what it returns (see
     * {@link FileTrees#delete}), which may be done outside any lock.
     */
    public static Path detach(StateDir state, String id) throws IOException {
        Path dir = state.containerPath(id);
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("removing " + dir + ": not a directory");
        }
        Path gone = dir.resolveSibling(".removing-" + id);
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("removing " + dir + ": " + Errors.oneLine(e), e);
        }
        return gone;
    }
}
