package io.contxray.recorder;

import io.contxray.bpf.BootClock;
import io.contxray.bpf.Layout;
import io.contxray.bpf.EventRing;
import io.contxray.bpf.ProcessEvent;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.model.CapabilityChecks;
import io.contxray.model.CapabilityNames;
import io.contxray.model.ContainerEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the kernel's `events` ring buffer on its own thread and appends each event to the event
 * log of the container recorded in the event's slot. The poll thread never takes the Recorder's
 * lock, so the Recorder may {@link #drain} while holding it.
 */
final class EventPump implements AutoCloseable {
    /**
     * The longest an event waits to be read: the kernel wakes this thread only once per batch
     * (CX_WAKEUP_BYTES in contxray.bpf.c), so a few events below that size come with the timeout.
     */
    private static final int POLL_MS = 100;
    private static final long FLUSH_NS = 1_000_000_000L;
    /** Capability events come only from the exact hook; inferred ones are the analyzer's. */
    static final String CAPABILITY_METHOD = "tracepoint capability:cap_capable";

    private record Target(String id, EventLogWriter writer, ActivityCounts activity) {
    }

    private final Map<Integer, Target> bySlot = new ConcurrentHashMap<>();
    private final EventRing ring;
    private final BootClock clock;
    private final Log log;
    private final AtomicLong unrouted = new AtomicLong();
    /** Records routed, and the kernel time of the newest one with the boot-clock time it was read (for /metrics). */
    private final java.util.concurrent.atomic.LongAdder routed = new java.util.concurrent.atomic.LongAdder();
    private volatile long lastEventLagNs;
    /** Kernel time of the newest routed event (a Recorder drain writes it too: a stale value skews one lag reading only). */
    private long newestTsNs;
    /** Told (container id, net event) of each connection a container makes or accepts, and each datagram. */
    private volatile java.util.function.BiConsumer<String, ContainerEvent> connections = (id, event) -> { };
    private volatile boolean running;
    private Thread thread;

    EventPump(SyscallRecorderProgram program, Log log) {
        this.clock = BootClock.now();
        this.log = log;
        this.ring = program.openEventRing(this::route);
    }

    /** Routes a slot's events to a container's log (before its cgroup enters the kernel map). */
    void attach(int slot, String id, EventLogWriter writer) {
        bySlot.put(slot, new Target(id, writer, new ActivityCounts()));
    }

    /** Stops routing a slot; returns its writer (not closed) or null. */
    EventLogWriter detach(int slot) {
        Target t = bySlot.remove(slot);
        return t == null ? null : t.writer();
    }

    /** Where to report connections (the peer resolver); set once, before {@link #start}. */
    void onConnection(java.util.function.BiConsumer<String, ContainerEvent> listener) {
        this.connections = listener;
    }

    /** Appends an event that does not come from the kernel (e.g. a peer's name) to a container's log. */
    void appendFor(String containerId, ContainerEvent e) {
        for (Target t : bySlot.values()) {
            if (t.id().equals(containerId)) {
                t.writer().append(e);
                return;
            }
        }
    }

    /** Consumes everything in the ring buffer now, on the caller's thread. */
    int drain() {
        return ring.drain();
    }

    /** Events of slots no container was attached to (lost; should stay 0). */
    long unrouted() {
        return unrouted.get();
    }

    /** Records routed to a container's log since start. */
    long routed() {
        return routed.sum();
    }

    /** How old the newest event of the last batch was when it was read. */
    double eventLagSeconds() {
        return Math.max(0, lastEventLagNs) / 1e9;
    }

    /** A slot's event counts for /metrics, or null when no container is attached to it. */
    ActivityCounts activity(int slot) {
        Target t = bySlot.get(slot);
        return t == null ? null : t.activity();
    }

    /** A slot's events rotated out of its log so far (0 when none is attached). */
    long rotated(int slot) {
        Target t = bySlot.get(slot);
        return t == null ? 0 : t.writer().rotated();
    }

    long malformed() {
        return ring.malformed();
    }

    /** Writes out every attached log's buffer (e.g. from a shutdown hook). */
    void flushAll() {
        bySlot.values().forEach(t -> t.writer().flush());
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "contxray-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long lastFlush = System.nanoTime();
        long lastWarn = 0;
        while (running) {
            try {
                int n = ring.poll(POLL_MS);
                long now = System.nanoTime();
                if (n > 0) {
                    // once per batch, not per event: how far behind the kernel the reader was
                    lastEventLagNs = java.time.Duration.between(clock.toInstant(newestTsNs), java.time.Instant.now()).toNanos();
                }
                if (n == 0 || now - lastFlush > FLUSH_NS) {
                    // idle or a second passed: make the logs readable while the container runs
                    bySlot.values().forEach(t -> t.writer().flush());
                    lastFlush = now;
                }
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (now - lastWarn > 60 * FLUSH_NS) {
                    log.warn("reading the events ring buffer: " + e.getMessage());
                    lastWarn = now;
                }
                sleepQuietly();
            }
        }
    }

    private void route(ProcessEvent e) {
        Target t = bySlot.get(e.slot());
        if (t == null) {
            unrouted.incrementAndGet();
            return;
        }
        ContainerEvent ce = toContainerEvent(e, t.id(), clock);
        t.writer().append(ce);
        t.activity().count(ce);
        routed.increment();
        newestTsNs = e.tsNs();
        if (e instanceof ProcessEvent.Net n && n.kind() != Layout.CX_NET_LISTEN
                || e instanceof ProcessEvent.Sock s && s.addr().length > 0) {
            connections.accept(t.id(), ce);
        }
    }

    /** The events.jsonl form of a kernel event. uid/gid are unsigned in the kernel. */
    static ContainerEvent toContainerEvent(ProcessEvent e, String id, BootClock clock) {
        String time = clock.iso(e.tsNs());
        if (e instanceof ProcessEvent.Exec x) {
            return ContainerEvent.exec(time, x.tsNs(), id, x.pid(), x.tid(), x.ppid(), Integer.toUnsignedLong(x.uid()),
                    Integer.toUnsignedLong(x.gid()), x.comm(), x.filename(), x.argv(), x.argc(), x.argvTruncated(),
                    x.filenameTruncated());
        }
        if (e instanceof ProcessEvent.Fork f) {
            return ContainerEvent.fork(time, f.tsNs(), id, f.childPid(), f.pid(), f.tid(), f.comm());
        }
        if (e instanceof ProcessEvent.Net n) {
            return ContainerEvent.net(time, n.tsNs(), id, n.pid(), n.tid(), n.comm(), netKind(n.kind()),
                    n.family() == 10 ? "ipv6" : "ipv4", address(n.local()), n.localPort(), address(n.remote()), n.remotePort());
        }
        if (e instanceof ProcessEvent.File f) {
            boolean open = f.op() == Layout.CX_FILE_OPEN;
            return ContainerEvent.file(time, f.tsNs(), id, f.pid(), f.tid(), f.comm(), FileEvents.op(f.op()),
                    FileEvents.path(f), FileEvents.newPath(f), open ? FileEvents.access(f.flags()) : null,
                    open || f.flags() != 0 ? f.flags() : null, f.result(), FileEvents.errno(f.result()),
                    (f.info() & Layout.CX_FILE_PATH_TRUNCATED) != 0, f.key() == 0 ? null : Long.toHexString(f.key()));
        }
        if (e instanceof ProcessEvent.Sock s) {
            boolean unix = s.family() == 1;
            return ContainerEvent.socket(time, s.tsNs(), id, s.pid(), s.tid(), s.comm(), sockKind(s),
                    unix ? "unix" : s.family() == 10 ? "ipv6" : "ipv4", unix ? null : address(s.addr()),
                    unix ? null : s.port(), s.unixPath(), s.result(), FileEvents.errno(s.result()),
                    s.key() == 0 ? null : Long.toHexString(s.key()));
        }
        if (e instanceof ProcessEvent.Capability c) {
            return ContainerEvent.capability(time, c.tsNs(), id, c.pid(), c.tid(), c.comm(),
                    CapabilityNames.name(c.cap()), c.granted(),
                    c.runtime() ? CapabilityChecks.PHASE_RUNTIME : CapabilityChecks.PHASE_WORKLOAD, CAPABILITY_METHOD);
        }
        ProcessEvent.Exit x = (ProcessEvent.Exit) e;
        return ContainerEvent.exit(time, x.tsNs(), id, x.pid(), x.tid(), x.exitCode(), x.signal(), x.comm());
    }

    /** PROTOCOL-OP: udp-send, unix-connect, icmp-send, raw-connect, ... */
    static String sockKind(ProcessEvent.Sock s) {
        String protocol;
        if (s.family() == 1) {
            protocol = "unix";
        } else if (s.protocol() == 17) {
            protocol = "udp";
        } else if (s.protocol() == 1 || s.protocol() == 58) {
            protocol = "icmp";
        } else {
            protocol = s.type() == 3 ? "raw" : "proto" + s.protocol();
        }
        return protocol + (s.kind() == Layout.CX_SOCK_CONNECT ? "-connect" : "-send");
    }

    static String netKind(int kind) {
        return switch (kind) {
            case Layout.CX_NET_CONNECT -> "connect";
            case Layout.CX_NET_LISTEN -> "listen";
            case Layout.CX_NET_ACCEPT -> "accept";
            default -> "kind-" + kind;
        };
    }

    /**
     * Numeric text: dotted IPv4 (also for an IPv4-mapped IPv6 address), else IPv6 in its short
     * form (RFC 5952: lowercase, the longest run of two or more zero groups as "::").
     */
    static String address(byte[] raw) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(raw); // numeric: never a name lookup
        } catch (UnknownHostException e) {
            return "invalid-address";
        }
        if (raw.length != 16 || a.getAddress().length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread, frees the ring, closes (flushes) the writers still attached. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ring.close();
        bySlot.values().forEach(t -> t.writer().close());
        bySlot.clear();
    }
}
