package io.contxray.recorder;

import io.contxray.analyzer.Analyzer;
import io.contxray.analyzer.DroppedRuns;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.RunUnion;
import io.contxray.bpf.CgroupEntry;
import io.contxray.bpf.Layout;
import io.contxray.bpf.SlotCounts;
import io.contxray.bpf.SyscallRecorderProgram;
import io.contxray.model.ArgumentValues;
import io.contxray.model.AtomicFiles;
import io.contxray.model.BundleMounts;
import io.contxray.model.CapabilityChecks;
import io.contxray.model.CapabilityNames;
import io.contxray.model.ContainerEvent;
import io.contxray.model.ContainerId;
import io.contxray.model.EventStats;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.Registration;
import io.contxray.model.Runs;
import io.contxray.model.StateDir;
import io.contxray.model.SyscallTable;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Live recording state: which container owns which slot, kept in step with the pinned kernel
 * maps. Every change to the kernel maps happens under this object's lock.
 */
public final class Recorder {
    static final String REGISTRATION = "registration.json";
    static final String REPORT = "report.json";
    /** At most this long for a stopping container's pending peer lookups. */
    static final Duration PEER_WAIT = Duration.ofSeconds(2);

    private final SyscallRecorderProgram program;
    private final EventPump events;
    private final long maxEventLogBytes;
    private final Cgroups cgroups;
    private final StateDir state;
    private final Clock clock;
    private final Log log;
    private final IdleDetach idleDetach;
    private final PeerResolver peers;
    /** Recordings whose cgroup was gone at the previous {@link #reapVanished}. */
    private final Set<String> goneBefore = new HashSet<>();
    private final Map<String, Registration> active = new TreeMap<>();
    /** Each active recording's run directory (containers/ID/runs/N). */
    private final Map<String, Path> runDirs = new HashMap<>();
    private final int runsKept;
    private final BitSet usedSlots = new BitSet(Layout.CX_MAX_SLOTS);

    /**
     * @param events           the ring buffer reader (not started: {@link #recover} attaches the
     *                         containers found on disk first, then the caller starts it)
     * @param maxEventLogBytes bound of each container's events.jsonl before it rotates
     */
    public Recorder(SyscallRecorderProgram program, EventPump events, PeerResolver peers, long maxEventLogBytes,
                    Cgroups cgroups, StateDir state, Clock clock, Log log, Duration detachLinger) {
        this(program, events, peers, maxEventLogBytes, Runs.DEFAULT_KEPT, cgroups, state, clock, log, detachLinger);
    }

    /** @param runsKept finished runs of one container whose directory is kept (older ones are folded, see RunUnion) */
    public Recorder(SyscallRecorderProgram program, EventPump events, PeerResolver peers, long maxEventLogBytes,
                    int runsKept, Cgroups cgroups, StateDir state, Clock clock, Log log, Duration detachLinger) {
        this.runsKept = runsKept;
        this.idleDetach = new IdleDetach(detachLinger);
        this.peers = peers;
        this.program = program;
        this.events = events;
        this.maxEventLogBytes = maxEventLogBytes;
        this.cgroups = cgroups;
        this.state = state;
        this.clock = clock;
        this.log = log;
    }

    public synchronized Response handle(Request request) {
        return switch (request.op()) {
            case Request.REGISTER -> register(request);
            case Request.STOP -> stop(request);
            case Request.STATUS -> status();
            default -> Response.error("unknown op \"" + request.op() + "\"");
        };
    }

    private Response register(Request r) {
        String id = r.id();
        try {
            ContainerId.validate(id);
            if (r.pid() == null) {
                throw new IOException("no pid in the request");
            }
            if (active.containsKey(id)) {
                throw new IOException("container is already being recorded");
            }
            String cgroupPath = cgroups.pathOf(r.pid());
            long cgroupId = cgroups.idOf(cgroupPath);
            int slot = usedSlots.nextClearBit(0);
            if (slot >= Layout.CX_MAX_SLOTS) {
                throw new IOException("all " + Layout.CX_MAX_SLOTS + " recording slots are in use");
            }
            Registration reg = new Registration(id, slot, cgroupId, cgroupPath, r.pid(), r.bundle(),
                    r.annotations() == null ? Map.of() : r.annotations(), clock.instant().toString(), null, null);
            Path container = state.containerDir(id);
            Runs.adoptSingleRun(container);
            // a new run directory per start: nothing an earlier run of the same id left is touched
            int run = Runs.next(Runs.numbers(container), DroppedRuns.read(container).lastRun());
            Path dir = state.runDir(id, run);
            // registration.json first: a daemon that dies after the map update can still finish this recording.
            AtomicFiles.writeJson(dir.resolve(REGISTRATION), reg, "rw-------");
            saveMounts(dir, r.bundle());
            program.clearCounts(slot);
            program.clearEventDrops(slot);
            program.clearCapCounts(slot);
            program.takeRepeatCounts(slot); // left by a daemon that died before finishing this slot
            program.takeArgCounts(slot);
            // the log is routed before the cgroup enters the map, so no event of the slot is unrouted
            events.attach(slot, id, new EventLogWriter(dir, maxEventLogBytes));
            idleDetach.cancel();
            try {
                program.addCgroup(cgroupId, slot);
                List<String> skipped = program.attach();
                if (!skipped.isEmpty()) {
                    log.warn("attached without " + skipped.size() + " optional program(s): " + String.join("; ", skipped));
                }
            } catch (RuntimeException e) {
                program.removeSlot(slot);
                closeQuietly(events.detach(slot));
                throw e;
            }
            usedSlots.set(slot);
            active.put(id, reg);
            runDirs.put(id, dir);
            peers.describe(id, r.pid());
            log.info("recording " + id + " run " + run + " (pid " + r.pid() + ", cgroup " + cgroupPath + ", id " + cgroupId + ", slot " + slot + ")");
            return Response.registered(slot, cgroupId);
        } catch (IOException | RuntimeException e) {
            String msg = "registering container " + id + ": " + e.getMessage();
            log.warn(msg);
            return Response.error(msg);
        }
    }

    private Response stop(Request r) {
        String id = r.id();
        try {
            ContainerId.validate(id);
            Registration reg = active.get(id);
            if (reg == null) {
                Path report = state.containerDir(id).resolve(REPORT); // the union, written when a run finished
                if (Files.exists(report)) {
                    return Response.stopped(report.toString()); // already finished (e.g. recovered after a restart)
                }
                throw new IOException("container is not being recorded");
            }
            Path report = finish(reg, false, List.of());
            return Response.stopped(report.toString());
        } catch (IOException | RuntimeException e) {
            String msg = "stopping container " + id + ": " + e.getMessage();
            log.warn(msg);
            return Response.error(msg);
        }
    }

    private Response status() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Registration reg : active.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", reg.id());
            c.put("slot", reg.slot());
            c.put("cgroupId", reg.cgroupId());
            c.put("cgroupPath", reg.cgroupPath());
            c.put("registeredAt", reg.registeredAt());
            list.add(c);
        }
        return Response.status(program.method().reportName(), list);
    }

    /**
     * Snapshots the slot's counters, frees it, and writes the report and profile. Order: the
     * cgroup leaves the map (no new events), the ring buffer is drained into the log, then the
     * drop counters are read, so every event is either in the log or counted as dropped.
     */
    private Path finish(Registration reg, boolean recovered, List<String> errors) throws IOException {
        SlotCounts counts = program.readCounts(reg.slot());
        List<SyscallRecorderProgram.ArgCount> args = program.takeArgCounts(reg.slot()); // at the same moment as the counts
        program.removeSlot(reg.slot());
        List<String> problems = new ArrayList<>(errors);
        try {
            events.drain();
        } catch (RuntimeException e) {
            problems.add("draining the events ring buffer: " + e.getMessage());
        }
        // the names of its peers go into its log before the log is closed
        peers.finish(reg.id(), PEER_WAIT);
        long[] drops = program.readEventDrops(reg.slot());
        if (events.malformed() > 0 || events.unrouted() > 0) {
            log.warn("events ring buffer so far: " + events.malformed() + " undecodable record(s), "
                    + events.unrouted() + " of slots no container was attached to");
        }
        EventLogWriter writer = events.detach(reg.slot());
        long rotated = 0;
        long failed = 0;
        List<SyscallRecorderProgram.RepeatCount> repeats = program.takeRepeatCounts(reg.slot());
        if (writer != null) {
            String now = clock.instant().toString();
            for (SyscallRecorderProgram.RepeatCount r : repeats) {
                if (r.count() > 1) { // the event with the key was the first time
                    writer.append(ContainerEvent.repeatCount(r.type() == Layout.CX_EVENT_FILE ? ContainerEvent.FILE_COUNT
                            : ContainerEvent.NET_COUNT, now, reg.id(), Long.toHexString(r.key()), r.count()));
                }
            }
            writer.close();
            rotated = writer.rotated();
            failed = writer.failed();
            if (writer.firstFailure() != null) {
                problems.add(failed + " event(s) not written to the event log: " + writer.firstFailure());
            }
        } else {
            problems.add("no event log was open for this container: its events were not kept");
        }
        EventStats stats = new EventStats(drops[Layout.CX_EVENT_EXEC], drops[Layout.CX_EVENT_FORK],
                drops[Layout.CX_EVENT_EXIT], rotated, failed, program.readNetDrops(reg.slot()),
                program.readTypeDrops(reg.slot(), Layout.CX_EVENT_FILE), program.readTypeDrops(reg.slot(), Layout.CX_EVENT_CAP));
        CapabilityChecks capabilities = capabilityChecks(program.capabilityMethod(), program.readCapCounts(reg.slot()));
        ArgumentValues argumentValues = argumentValues(args, program.readTypeDrops(reg.slot(), Layout.CX_DROP_ARGS));
        program.clearCounts(reg.slot());
        program.clearEventDrops(reg.slot());
        program.clearCapCounts(reg.slot());
        usedSlots.clear(reg.slot());
        active.remove(reg.id());
        Path dir = runDirs.remove(reg.id());
        if (active.isEmpty()) {
            idleDetach.schedule(this::detachIfIdle);
        }
        Recording rec = new Recording(reg, clock.instant().toString(), SyscallTable.native_().arch(),
                program.method().reportName(),
                SlotCounts.nonZero(counts.beforeNative(), counts.beforeX32()),
                SlotCounts.nonZero(counts.filteredNative(), counts.filteredX32()),
                SlotCounts.nonZero(counts.beforeCompat()), SlotCounts.nonZero(counts.filteredCompat()),
                counts.outOfRange(), recovered, problems, stats, capabilities, argumentValues);
        Analyzer.write(rec, dir, bundleCopyDir(reg.bundle()), ProfileStore.of(state));
        Path union = writeUnion(reg.id());
        log.info("finished " + reg.id() + (recovered ? " (recovered after a restart)" : "") + ": " + dir.resolve(REPORT));
        return union;
    }

    /** The container's union of its runs, after folding the runs beyond the retention bound. */
    private Path writeUnion(String id) throws IOException {
        return RunUnion.update(state.containerDir(id), runsKept);
    }

    /** The kernel's per-(capability, outcome) counts as the recording's checks; none without the hook. */
    static CapabilityChecks capabilityChecks(String method, long[][] counts) {
        if (CapabilityChecks.NONE_METHOD.equals(method)) {
            return CapabilityChecks.NONE;
        }
        List<CapabilityChecks.Check> checks = new ArrayList<>();
        for (int cap = 0; cap < counts.length; cap++) {
            // one entry per phase and outcome, whichever bits the kernel set besides them
            Map<CheckOutcome, Long> byOutcome = new LinkedHashMap<>();
            for (int outcome = 0; outcome < counts[cap].length; outcome++) {
                if (counts[cap][outcome] > 0) {
                    String phase = (outcome & Layout.CX_CAP_NOAUDIT) != 0 ? CapabilityChecks.PHASE_NOAUDIT
                            : (outcome & Layout.CX_CAP_RUNTIME) != 0 ? CapabilityChecks.PHASE_RUNTIME
                            : CapabilityChecks.PHASE_WORKLOAD;
                    byOutcome.merge(new CheckOutcome(phase, (outcome & Layout.CX_CAP_GRANTED) != 0), counts[cap][outcome],
                            Long::sum);
                }
            }
            String name = CapabilityNames.name(cap);
            byOutcome.forEach((o, n) -> checks.add(new CapabilityChecks.Check(name, o.granted(), o.phase(), n)));
        }
        return new CapabilityChecks(method, checks);
    }

    private record CheckOutcome(String phase, boolean granted) {
    }

    /** The kernel's arg_counts entries of a slot as the recording's argument values. */
    static ArgumentValues argumentValues(List<SyscallRecorderProgram.ArgCount> counts, long missed) {
        List<ArgumentValues.Value> values = new ArrayList<>();
        for (SyscallRecorderProgram.ArgCount c : counts) {
            values.add(new ArgumentValues.Value(c.nr(), c.phase() == Layout.CX_PHASE_FILTERED, c.value(), c.count()));
        }
        return new ArgumentValues(values, missed, true);
    }

    /**
     * Keeps the bundle's mounts for the analyzer, which classifies file paths by them when the
     * bundle may be gone. A missing or unreadable config.json is logged, not fatal: the files are
     * then classified without mounts.
     */
    private void saveMounts(Path containerDir, String bundle) {
        if (bundle == null || bundle.isBlank() || !Path.of(bundle).isAbsolute()) {
            return;
        }
        try {
            BundleMounts.save(containerDir, BundleMounts.fromConfig(Path.of(bundle, "config.json")));
        } catch (IOException | RuntimeException e) {
            log.warn("keeping the mounts of bundle " + bundle + ": " + e.getMessage());
        }
    }

    /** Plain runc bundles outlive the container, so a copy of the outputs goes next to config.json. */
    private static Path bundleCopyDir(String bundle) {
        if (bundle == null || bundle.isBlank()) {
            return null;
        }
        Path dir = Path.of(bundle);
        return dir.isAbsolute() && Files.isRegularFile(dir.resolve("config.json")) ? dir.resolve("contxray") : null;
    }

    /**
     * Reconciles the pinned maps with the registrations on disk after a (re)start: containers still
     * alive are adopted, containers that stopped while no daemon ran get their reports written, and
     * map entries nobody registered are dropped.
     */
    public synchronized void recover() throws IOException {
        // maps pinned by an older daemon may have no filter entries for what they record
        program.rebuildFilter();
        Map<Long, CgroupEntry> inKernel = program.cgroups();
        Map<Integer, Long> rootBySlot = new TreeMap<>();
        inKernel.forEach((cgid, e) -> {
            if ((e.flags() & Layout.CX_CGROUP_ROOT) != 0) {
                rootBySlot.put(e.slot(), cgid);
            }
        });
        Map<Registration, Path> pending = pendingRegistrations();
        List<Registration> toFinish = new ArrayList<>();
        for (Map.Entry<Registration, Path> p : pending.entrySet()) {
            Registration reg = p.getKey();
            Path dir = p.getValue();
            Long cgid = rootBySlot.get(reg.slot());
            if (cgid != null && cgid == reg.cgroupId()) {
                rootBySlot.remove(reg.slot());
                usedSlots.set(reg.slot());
                active.put(reg.id(), reg);
                runDirs.put(reg.id(), dir);
                // append to the run's log of the previous daemon; the ring buffer still holds what
                // happened while no daemon ran (what did not fit is in the drop counters)
                events.attach(reg.slot(), reg.id(), new EventLogWriter(dir, maxEventLogBytes));
                peers.rescan(reg.id(), dir);
                if (!cgroups.alive(reg.cgroupPath(), reg.cgroupId())) {
                    toFinish.add(reg);
                } else {
                    peers.describe(reg.id(), reg.pid());
                    log.info("resumed recording " + reg.id() + " (slot " + reg.slot() + ")");
                }
            } else {
                // Registered but no longer in the kernel map: the counts are gone (e.g. the host rebooted).
                writeLostReport(reg, dir);
            }
        }
        for (Map.Entry<Integer, Long> orphan : rootBySlot.entrySet()) {
            log.warn("dropping kernel entry for cgroup " + orphan.getValue() + " in slot " + orphan.getKey()
                    + ": no registration on disk");
            program.removeSlot(orphan.getKey());
            program.clearCounts(orphan.getKey());
            program.clearEventDrops(orphan.getKey());
            program.clearCapCounts(orphan.getKey());
        }
        for (Registration reg : toFinish) {
            finish(reg, true, List.of("container stopped while the recorder was not running; counts recovered from the pinned maps"));
        }
        if (active.isEmpty()) {
            program.detach();
        }
    }

    /**
     * Finishes recordings whose cgroup went away without a poststop hook (a runtime that failed to
     * start the container and did not run its poststop hooks, e.g. podman refusing rlimits), so
     * their slot is not held forever. runc removes the cgroup just before it runs the poststop
     * hooks, so a cgroup must be seen gone on two calls in a row (the caller spaces them) before
     * the recording is finished here.
     */
    public synchronized void reapVanished() {
        Set<String> goneNow = new HashSet<>();
        for (Registration reg : List.copyOf(active.values())) {
            if (cgroups.alive(reg.cgroupPath(), reg.cgroupId())) {
                continue;
            }
            goneNow.add(reg.id());
            if (!goneBefore.contains(reg.id())) {
                continue;
            }
            try {
                Path report = finish(reg, false, List.of("the container's cgroup went away without a poststop hook "
                        + "(the runtime did not start it, or did not run its poststop hooks)"));
                log.warn("finished " + reg.id() + " without a poststop hook: its cgroup is gone (" + report + ")");
            } catch (IOException | RuntimeException e) {
                log.warn("finishing " + reg.id() + " whose cgroup is gone: " + e.getMessage());
            }
        }
        goneBefore.clear();
        goneBefore.addAll(goneNow);
    }

    /** Nothing recorded: no program runs on any syscall. */
    private synchronized void detachIfIdle() {
        if (active.isEmpty()) {
            program.detach();
        }
    }

    private void writeLostReport(Registration reg, Path runDir) throws IOException {
        Recording rec = new Recording(reg, clock.instant().toString(), SyscallTable.native_().arch(),
                program.method().reportName(), Map.of(), Map.of(), Map.of(), Map.of(), 0, true,
                List.of("the kernel maps no longer hold this container's counts (host reboot or bpffs unmounted); nothing was recorded"));
        Analyzer.write(rec, runDir, null, ProfileStore.of(state));
        writeUnion(reg.id());
        log.warn("no counts left for " + reg.id() + "; wrote an empty report saying so");
    }

    /**
     * Registrations whose run's report has not been written yet, with their run directory. A
     * container directory of a recorder from before runs becomes its run 1 first.
     */
    private Map<Registration, Path> pendingRegistrations() throws IOException {
        Map<Registration, Path> out = new LinkedHashMap<>();
        for (String id : state.containerIds()) {
            Path container = state.containerDir(id);
            try {
                Runs.adoptSingleRun(container);
                for (int n : Runs.numbers(container)) {
                    Path dir = Runs.dir(container, n);
                    Path reg = dir.resolve(REGISTRATION);
                    if (Files.isRegularFile(reg) && !Files.exists(dir.resolve(REPORT))) {
                        try {
                            out.put(Json.mapper().readValue(reg.toFile(), Registration.class), dir);
                        } catch (IOException e) {
                            log.warn("skipping unreadable " + reg + ": " + e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                log.warn("looking for unfinished runs of " + id + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void closeQuietly(EventLogWriter w) {
        if (w != null) {
            w.close();
        }
    }

    /**
     * Each recording's counters as /metrics shows them, read under this lock so that no slot is
     * finished and reused while its counters are read.
     */
    public synchronized List<io.contxray.recorder.metrics.ContainerSample> liveSamples(java.util.function.Function<String,
            ContainerIdentity> identities) {
        List<io.contxray.recorder.metrics.ContainerSample> out = new ArrayList<>(active.size());
        for (Registration reg : active.values()) {
            ActivityCounts activity = events.activity(reg.slot());
            out.add(MetricsSamples.sample(reg, identities.apply(reg.id()), program.readCounts(reg.slot()),
                    program.readEventDrops(reg.slot()), program.readNetDrops(reg.slot()),
                    program.readTypeDrops(reg.slot(), Layout.CX_EVENT_FILE), program.readTypeDrops(reg.slot(), Layout.CX_EVENT_CAP),
                    activity, events.rotated(reg.slot())));
        }
        return out;
    }

    public synchronized int activeCount() {
        return active.size();
    }
}
