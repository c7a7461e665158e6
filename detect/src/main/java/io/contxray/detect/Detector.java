package io.contxray.detect;

import io.contxray.analyzer.PathClassifier;
import io.contxray.model.BundleMounts;
import io.contxray.model.ContainerEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks the events of watched containers against the rules in force and returns the alerts;
 * no I/O (the daemon writes them). {@link #check} runs on the event thread: an event of a
 * container not watched costs one map lookup, one of a type no rule tests only the state update
 * (process table, written paths, ports).
 */
public final class Detector implements DetectMetrics {
    private final Map<String, WatchedContainer> watched = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLong reloadFailures = new AtomicLong();
    private final Clock clock;
    private volatile RuleSet rules;

    public Detector(RuleSet rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    public RuleSet rules() {
        return rules;
    }

    /** Puts new rules in force (for every watched container, from its next event). */
    public void rules(RuleSet next) {
        this.rules = next;
    }

    /** Counts a reload that failed; the rules stay as they were. */
    public void reloadFailed() {
        reloadFailures.incrementAndGet();
    }

    /**
     * Starts watching a container, before its first event.
     *
     * @param initPid its pid 1 (host pid): what tells its own processes from exec sessions
     */
    public void watch(String id, int initPid, String name, String image, List<BundleMounts.Mount> mounts) {
        watched.put(id, new WatchedContainer(id, initPid, name, image, new PathClassifier(mounts, id)));
    }

    public void unwatch(String id) {
        watched.remove(id);
    }

    public boolean watching(String id) {
        return watched.containsKey(id);
    }

    /** The alerts an event of container {@code id} raises (usually none). Call from one thread per container. */
    public List<Alert> check(String id, ContainerEvent e) {
        WatchedContainer c = watched.get(id);
        if (c == null) {
            return List.of();
        }
        String type = e.type();
        if (ContainerEvent.CONTAINER.equals(type)) {
            c.name = e.name();
            c.image = e.image();
            return List.of();
        }
        Proc proc = c.track(e);
        boolean newPort = false;
        if (ContainerEvent.FILE.equals(type) && e.errno() == null && e.path() != null && EventFacts.isWrite(e)) {
            c.written(e.path());
            if (e.newPath() != null) {
                c.written(e.newPath());
            }
        } else if (ContainerEvent.NET.equals(type) && "listen".equals(e.kind()) && e.localPort() != null) {
            newPort = c.newListen(e.localPort());
        }
        RuleSet now = rules;
        if (now.none(type)) {
            return List.of();
        }
        EventFacts facts = new EventFacts(e, c, proc, newPort);
        List<Alert> out = null;
        for (Rule r : now.candidates(type)) {
            if (r.excepted(c.image, c.name) || !r.when().matches(facts)) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(1);
            }
            out.add(new Alert(e.time(), clock.instant().toString(), r.id(), r.level().yamlName(), r.description(),
                    new Alert.Container(c.id, c.name, c.image), proc == null ? null : proc.session(), e,
                    proc == null ? List.of() : proc.ancestry()));
            counts.computeIfAbsent(r.id() + "\u0000" + r.level().name(), k -> new LongAdder()).increment();
        }
        return out == null ? List.of() : out;
    }

    @Override
    public List<Count> alertCounts() {
        List<Count> out = new ArrayList<>();
        counts.forEach((k, v) -> {
            int sep = k.indexOf('\u0000');
            out.add(new Count(k.substring(0, sep), Level.valueOf(k.substring(sep + 1)), v.sum()));
        });
        out.sort(java.util.Comparator.comparing(Count::rule).thenComparing(Count::level));
        return out;
    }

    @Override
    public int rulesLoaded() {
        return rules.rules().size();
    }

    @Override
    public long reloadFailures() {
        return reloadFailures.get();
    }

    @Override
    public int watchedContainers() {
        return watched.size();
    }
}
