package io.contxray.analyzer;

import io.contxray.model.ContainerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Aggregates a container's {@code file} events, and its execs as access "exec", into
 * {@link FileActivity}. Distinct entries are bounded: past {@link #MAX_ENTRIES} new ones are
 * counted as omitted while the totals stay exact.
 */
public final class FilesBuilder {
    public static final int MAX_ENTRIES = 5_000;
    public static final int MAX_COMMS = 8;
    /** The recorder's file hooks (sys_exit_openat, sys_exit_unlinkat, ...). */
    public static final String METHOD = "tracepoint syscalls/sys_exit_*";
    static final String NO_METHOD = "none";
    static final String EXEC = "exec";

    private record Key(String path, String access, String newPath) {
    }

    private static final class Seen {
        final PathClassifier.Place place;
        final String firstTime;
        long count;
        final LinkedHashSet<String> comms = new LinkedHashSet<>();
        final SortedMap<String, Long> errors = new TreeMap<>();
        boolean pathTruncated;

        Seen(PathClassifier.Place place, String firstTime) {
            this.place = place;
            this.firstTime = firstTime;
        }
    }

    /**
     * A file event whose repeats the kernel counted (its key): where its one count went, so that
     * the recorder's closing file-count line can add the rest there.
     */
    private record Counted(List<Key> entries, String errno, boolean runtime) {
    }

    private final PathClassifier classifier;
    private final Map<Key, Seen> entries = new HashMap<>();
    private final Map<String, Counted> byKernelKey = new HashMap<>();
    private boolean fileEventsSeen;
    private long events;
    private long failed;
    private long omitted;
    private long runtimeSetup;

    public FilesBuilder(PathClassifier classifier) {
        this.classifier = classifier;
    }

    public void accept(ContainerEvent e) {
        if (ContainerEvent.EXEC.equals(e.type()) && e.filename() != null) {
            record(e, e.filename(), List.of(EXEC), null, Boolean.TRUE.equals(e.filenameTruncated()));
        } else if (ContainerEvent.FILE.equals(e.type()) && e.path() != null && e.op() != null) {
            fileEventsSeen = true;
            if (isRuntimeSetup(e.comm())) {
                runtimeSetup++;
                remember(e, List.of(), true);
                return;
            }
            if (e.errno() != null) {
                failed++;
            }
            boolean open = "open".equals(e.op()) && e.access() != null && !e.access().isEmpty();
            // a symlink's content is a string the call stores, not a path it touches: kept as written
            String newPath = e.newPath() == null ? null
                    : "symlink".equals(e.op()) ? e.newPath() : classifier.classify(e.newPath()).path();
            remember(e, record(e, e.path(), open ? e.access() : List.of(e.op()), newPath,
                    Boolean.TRUE.equals(e.pathTruncated())), false);
        } else if (ContainerEvent.FILE_COUNT.equals(e.type()) && e.key() != null && e.count() != null) {
            addRepeats(e.key(), e.count());
        }
    }

    /** runc's init processes ("runc:[2:INIT]") open files to set the container up, not for the workload. */
    public static boolean isRuntimeSetup(String comm) {
        return comm != null && comm.startsWith("runc:[");
    }

    private void remember(ContainerEvent e, List<Key> keys, boolean runtime) {
        if (e.key() != null) {
            byKernelKey.put(e.key(), new Counted(keys, e.errno(), runtime));
        }
    }

    /** The kernel's total count of an access: all but its first event are added here. */
    private void addRepeats(String kernelKey, long total) {
        Counted c = byKernelKey.get(kernelKey);
        if (c == null) { // its first event was rotated out of the log: all of it is unlisted
            events += total;
            omitted += total;
            return;
        }
        long repeats = total - 1;
        if (repeats <= 0) {
            return;
        }
        if (c.runtime()) {
            runtimeSetup += repeats;
            return;
        }
        events += repeats;
        if (c.errno() != null) {
            failed += repeats;
        }
        if (c.entries().isEmpty()) {
            omitted += repeats;
        }
        for (Key k : c.entries()) {
            Seen s = entries.get(k);
            s.count += repeats;
            if (c.errno() != null) {
                s.errors.merge(c.errno(), repeats, Long::sum);
            }
        }
    }

    /** One call, counted under each of its accesses; omitted when one of them found no room. Returns the entries it went to. */
    private List<Key> record(ContainerEvent e, String rawPath, List<String> accesses, String newPath, boolean truncated) {
        events++;
        PathClassifier.Place place = classifier.classify(rawPath);
        List<Key> listed = new ArrayList<>(accesses.size());
        for (String access : accesses) {
            Key key = new Key(place.path(), access, newPath);
            if (count(e, place, key, truncated)) {
                listed.add(key);
            }
        }
        omitted += listed.size() == accesses.size() ? 0 : 1;
        return listed;
    }

    /** Adds one call to its entry; false when the entry is new and there is no room for it. */
    private boolean count(ContainerEvent e, PathClassifier.Place place, Key key, boolean truncated) {
        Seen s = entries.get(key);
        if (s == null) {
            if (entries.size() >= MAX_ENTRIES) {
                return false;
            }
            s = new Seen(place, e.time());
            entries.put(key, s);
        }
        s.count++;
        if (e.comm() != null && s.comms.size() < MAX_COMMS) {
            s.comms.add(e.comm());
        }
        if (e.errno() != null) {
            s.errors.merge(e.errno(), 1L, Long::sum);
        }
        s.pathTruncated |= truncated;
        return true;
    }

    public FileActivity build() {
        SortedMap<String, List<FileActivity.Entry>> byClass = new TreeMap<>();
        PathClassifier.CLASSES.forEach(c -> byClass.put(c, new ArrayList<>()));
        entries.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::path).thenComparing(Key::access)
                        .thenComparing(k -> k.newPath() == null ? "" : k.newPath())))
                .forEach(en -> {
                    Key k = en.getKey();
                    Seen s = en.getValue();
                    byClass.get(s.place.pathClass()).add(new FileActivity.Entry(k.path(), k.access(), k.newPath(), s.count,
                            s.firstTime, List.copyOf(s.comms), new TreeMap<>(s.errors), s.place.hostSource(),
                            s.place.runtimeManaged(), s.place.readOnly(), s.pathTruncated));
                });
        byClass.replaceAll((c, list) -> List.copyOf(list));
        return new FileActivity(fileEventsSeen ? METHOD : NO_METHOD, events, failed, entries.size(), omitted, runtimeSetup,
                byClass);
    }
}
