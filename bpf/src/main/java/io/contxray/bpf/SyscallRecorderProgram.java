package io.contxray.bpf;

import static io.contxray.bpf.Libbpf.LIB;
import static io.contxray.bpf.Libbpf.check;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded contxray.bpf.o. Its two maps are pinned in a directory on bpffs and reused by
 * the next load, and its links are pinned there too, so counting goes on across a daemon
 * restart: a new daemon opens the object again, finds the maps and sees the links attached.
 * Not thread-safe for open/attach/detach/close; the map operations may run concurrently.
 */
public final class SyscallRecorderProgram implements AutoCloseable {
    static final String OBJECT_RESOURCE = "contxray.bpf.o";
    static final String MAP_CGROUPS = "recorded_cgroups";
    static final String MAP_COUNTS = "syscall_counts";
    static final String MAP_EVENTS = "events";
    static final String MAP_DROPS = "event_drops";
    static final String MAP_FILTER = "cgroup_filter";
    static final String MAP_NET_DROPS = "net_drops";
    static final String PROG_FILTER_UPDATE = "filter_update";

    static final String MAP_TYPE_DROPS = "type_drops";
    static final String MAP_CAP_COUNTS = "cap_counts";
    static final String MAP_REPEAT_COUNTS = "repeat_counts";
    static final String MAP_ARG_COUNTS = "arg_counts";
    static final String MAP_X32_COUNTS = "x32_counts";
    /**
     * Pins of maps that changed size: a pinned map cannot be resized, so a new size gets a new pin
     * file (the ring buffer grew from 4 to 8 MiB: bursts of file events overflowed the 4 MiB one
     * while the consumer waited to be scheduled; 16 MiB did a little better but cost the daemon
     * ~20 MiB of resident mapping, past its 150 MiB target; cap_counts doubled its outcomes to
     * count no-audit checks apart).
     */
    private static final Map<String, String> RENAMED_PINS = Map.of(MAP_EVENTS, "events_8mib",
            MAP_CAP_COUNTS, "cap_counts_noaudit");
    /**
     * Pins of an older contxray that this one does not use: removed at open, so they free their
     * memory ("cap_counts" and its link: four outcomes per capability, no no-audit ones).
     */
    static final List<String> RETIRED_PINS = List.of("events", "cap_counts", "link_cap_capable");
    /** Every map is pinned: a restarted daemon finds the counts, drops and unread events. */
    static final List<String> PINNED_MAPS = List.of(MAP_CGROUPS, MAP_COUNTS, MAP_EVENTS, MAP_DROPS, MAP_FILTER,
            MAP_NET_DROPS, MAP_TYPE_DROPS, MAP_CAP_COUNTS, MAP_REPEAT_COUNTS, MAP_ARG_COUNTS,
            MAP_X32_COUNTS);
    /** libbpf's enum bpf_attach_type value for tp_btf programs. */
    private static final int BPF_TRACE_RAW_TP = 23;

    /** The syscalls whose sys_exit tracepoint has a file program (file_NAME in contxray.bpf.c). */
    static final List<String> FILE_SYSCALLS = List.of("open", "openat", "openat2", "creat", "unlink", "unlinkat",
            "rmdir", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "chmod", "fchmodat", "fchmodat2", "chown",
            "lchown", "fchownat", "truncate", "fchmod", "fchown", "ftruncate", "link", "linkat", "symlink", "symlinkat");

    /** The syscalls whose sys_exit tracepoint has a socket destination program (sock_NAME). */
    static final List<String> SOCKET_SYSCALLS = List.of("connect", "sendto", "sendmsg");

    /** A repeat_counts entry: how many times (count) an access of this event type with this key happened. */
    public record RepeatCount(int type, long key, long count) {
    }

    /**
     * An arg_counts entry: how many calls of syscall nr (CX_NR_SOCKET, CX_NR_PERSONALITY) in a
     * phase (CX_PHASE_*) had this first argument (the whole 64-bit register, unsigned).
     */
    public record ArgCount(int nr, int phase, long value, long count) {
    }

    /**
     * What a daemon may leave out. Files and sockets take their results from syscalls/sys_exit_*
     * tracepoints, which put a probe on every syscall's exit on the host while anything is
     * recorded (bench/syscall-overhead.sh measures it).
     */
    public enum Sensor { FILES, SOCKETS, CAPABILITIES }

    /**
     * A program attached and pinned as pinDir/pinName. With variants, the program exists as
     * NAME_btf and NAME_raw (one per attach method). An optional link that cannot attach (a
     * tracepoint this kernel lacks) is skipped, and the feature it serves reported as unavailable.
     * sensor: the optional sensor it belongs to, or null for the core programs.
     */
    private record Link(String pinName, String program, boolean variants, boolean optional, Sensor sensor) {
        Link(String pinName, String program, boolean variants, boolean optional) {
            this(pinName, program, variants, optional, null);
        }

        String programName(AttachMethod method) {
            if (!variants) {
                return program;
            }
            return program + (method == AttachMethod.TP_BTF ? "_btf" : "_raw");
        }
    }

    private static final Link CGROUP_MKDIR = new Link("link_cgroup_mkdir", "cgroup_mkdir", true, false);
    private static final Link CGROUP_RMDIR = new Link("link_cgroup_rmdir", "cgroup_rmdir", true, false);
    private static final Link CAP_CAPABLE = new Link("link_cap_capable_noaudit", "cap_capable", true, true, Sensor.CAPABILITIES);
    /**
     * In attach order: cgroup tracking first, so no child cgroup created while the others start is
     * missed; fork and exit before exec, so a process whose exec is seen also has its end seen.
     */
    private static final List<Link> LINKS = links();

    private static List<Link> links() {
        List<Link> all = new ArrayList<>(List.of(CGROUP_MKDIR, CGROUP_RMDIR,
                new Link("link_sched_fork", "sched_fork", true, false),
                new Link("link_sched_exit", "sched_exit", true, false),
                new Link("link_sched_exec", "sched_exec", true, false),
                new Link("link_inet_state", "inet_state", true, false), CAP_CAPABLE));
        for (String syscall : FILE_SYSCALLS) {
            all.add(new Link("link_file_" + syscall, "file_" + syscall, false, true, Sensor.FILES));
        }
        for (String syscall : SOCKET_SYSCALLS) {
            all.add(new Link("link_sock_" + syscall, "sock_" + syscall, false, true, Sensor.SOCKETS));
        }
        all.add(new Link("link_sys_enter", "sys_enter", true, false));
        return List.copyOf(all);
    }

    private final Path pinDir;
    private final AttachMethod method;
    private final Memory objectBytes; // libbpf may keep pointing into it while the object lives
    private final int cgroupsFd;
    private final int countsFd;
    private final int eventsFd;
    private final int dropsFd;
    private final int filterUpdateFd;
    private final int filterFd;
    private final int netDropsFd;
    private final int typeDropsFd;
    private final int capCountsFd;
    private final int repeatCountsFd;
    private final int argCountsFd;
    private final int x32CountsFd;
    private final int cpus;
    private final NoAuditCallers noAudit;
    private final java.util.Set<Sensor> disabled = java.util.EnumSet.noneOf(Sensor.class);
    private Pointer obj;

    private SyscallRecorderProgram(Path pinDir, AttachMethod method, Memory objectBytes, Pointer obj,
                                   int cgroupsFd, int countsFd, int eventsFd, int dropsFd, int filterUpdateFd,
                                   int filterFd, int netDropsFd, int typeDropsFd, int capCountsFd, int repeatCountsFd,
                                   int argCountsFd, int x32CountsFd, int cpus, NoAuditCallers noAudit) {
        this.pinDir = pinDir;
        this.method = method;
        this.objectBytes = objectBytes;
        this.obj = obj;
        this.cgroupsFd = cgroupsFd;
        this.countsFd = countsFd;
        this.eventsFd = eventsFd;
        this.dropsFd = dropsFd;
        this.filterUpdateFd = filterUpdateFd;
        this.filterFd = filterFd;
        this.netDropsFd = netDropsFd;
        this.typeDropsFd = typeDropsFd;
        this.capCountsFd = capCountsFd;
        this.repeatCountsFd = repeatCountsFd;
        this.argCountsFd = argCountsFd;
        this.x32CountsFd = x32CountsFd;
        this.cpus = cpus;
        this.noAudit = noAudit;
    }

    /**
     * Loads the embedded object, reusing the maps already pinned in pinDir (else creating and
     * pinning them). pinDir must be on a mounted bpffs; it is created if missing.
     */
    public static SyscallRecorderProgram open(Path pinDir, AttachMethod method) {
        try {
            Files.createDirectories(pinDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pin directory " + pinDir, e);
        }
        for (String retired : RETIRED_PINS) {
            try {
                // events an old ring buffer still held when the upgraded daemon starts are lost
                Files.deleteIfExists(pinDir.resolve(retired));
            } catch (IOException e) {
                throw new UncheckedIOException("removing the retired pin " + pinDir.resolve(retired), e);
            }
        }
        Memory bytes = embeddedObject();
        Pointer obj = openObject(bytes);
        try {
            boolean capTracepoint = method != AttachMethod.TP_BTF
                    || LIB.libbpf_find_vmlinux_btf_id("cap_capable", BPF_TRACE_RAW_TP) > 0;
            for (Link link : LINKS) {
                if (!link.variants()) {
                    continue;
                }
                for (AttachMethod m : AttachMethod.values()) {
                    // Load only the chosen variant: the other may not verify on this kernel; a
                    // tp_btf program for a tracepoint the kernel lacks would not load either.
                    boolean load = m == method && (link != CAP_CAPABLE || capTracepoint);
                    check(LIB.bpf_program__set_autoload(program(obj, link.programName(m)), load),
                            "bpf_program__set_autoload", "selecting " + link.programName(m));
                }
            }
            NoAuditCallers noAudit = NoAuditCallers.fromKernel();
            writeSettings(obj, noAudit);
            Pointer cgroups = map(obj, MAP_CGROUPS);
            Pointer counts = map(obj, MAP_COUNTS);
            Pointer events = map(obj, MAP_EVENTS);
            Pointer drops = map(obj, MAP_DROPS);
            // All maps pinned: a restarted daemon finds the counts, the drop counters and the
            // ring buffer with the events written while it was down (up to its size; the rest is
            // counted in event_drops).
            for (String name : PINNED_MAPS) {
                check(LIB.bpf_map__set_pin_path(map(obj, name), pinDir.resolve(pinName(name)).toString()),
                        "bpf_map__set_pin_path", "pinning " + name);
            }
            check(LIB.bpf_object__load(obj), "bpf_object__load",
                    "loading " + OBJECT_RESOURCE + " (" + method + ", maps pinned in " + pinDir + ")");
            int cpus = check(LIB.libbpf_num_possible_cpus(), "libbpf_num_possible_cpus", "sizing per-CPU reads");
            return new SyscallRecorderProgram(pinDir, method, bytes, obj,
                    check(LIB.bpf_map__fd(cgroups), "bpf_map__fd", MAP_CGROUPS),
                    check(LIB.bpf_map__fd(counts), "bpf_map__fd", MAP_COUNTS),
                    check(LIB.bpf_map__fd(events), "bpf_map__fd", MAP_EVENTS),
                    check(LIB.bpf_map__fd(drops), "bpf_map__fd", MAP_DROPS),
                    check(LIB.bpf_program__fd(program(obj, PROG_FILTER_UPDATE)), "bpf_program__fd", PROG_FILTER_UPDATE),
                    check(LIB.bpf_map__fd(map(obj, MAP_FILTER)), "bpf_map__fd", MAP_FILTER),
                    check(LIB.bpf_map__fd(map(obj, MAP_NET_DROPS)), "bpf_map__fd", MAP_NET_DROPS),
                    check(LIB.bpf_map__fd(map(obj, MAP_TYPE_DROPS)), "bpf_map__fd", MAP_TYPE_DROPS),
                    check(LIB.bpf_map__fd(map(obj, MAP_CAP_COUNTS)), "bpf_map__fd", MAP_CAP_COUNTS),
                    check(LIB.bpf_map__fd(map(obj, MAP_REPEAT_COUNTS)), "bpf_map__fd", MAP_REPEAT_COUNTS),
                    check(LIB.bpf_map__fd(map(obj, MAP_ARG_COUNTS)), "bpf_map__fd", MAP_ARG_COUNTS),
                    check(LIB.bpf_map__fd(map(obj, MAP_X32_COUNTS)), "bpf_map__fd", MAP_X32_COUNTS), cpus, noAudit);
        } catch (RuntimeException e) {
            LIB.bpf_object__close(obj);
            throw e;
        }
    }

    /** The object file bundled in this jar, copied to native memory for bpf_object__open_mem. */
    static Memory embeddedObject() {
        try (InputStream in = SyscallRecorderProgram.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfException(OBJECT_RESOURCE + " is not on the class path (contxray-bpf built without clang?)");
            }
            byte[] b = in.readAllBytes();
            Memory m = new Memory(b.length);
            m.write(0, b, 0, b.length);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + OBJECT_RESOURCE, e);
        }
    }

    /** Opens (parses, does not load) the object; the caller closes it with bpf_object__close. */
    static Pointer openObject(Memory bytes) {
        // struct bpf_object_open_opts { size_t sz; const char *object_name; ... }: only the
        // name, so internal maps are called "contxray.rodata" instead of a hex address.
        Memory name = new Memory(16);
        name.setString(0, "contxray");
        Memory opts = new Memory(16);
        opts.setLong(0, 16);
        opts.setPointer(8, name);
        Pointer obj = check(LIB.bpf_object__open_mem(bytes, bytes.size(), opts),
                "bpf_object__open_mem", "opening the embedded " + OBJECT_RESOURCE);
        Reference.reachabilityFence(name);
        return obj;
    }

    static Pointer map(Pointer obj, String name) {
        return check(LIB.bpf_object__find_map_by_name(obj, name), "bpf_object__find_map_by_name", "finding map " + name);
    }

    private static Pointer program(Pointer obj, String name) {
        return check(LIB.bpf_object__find_program_by_name(obj, name),
                "bpf_object__find_program_by_name", "finding program " + name);
    }

    /** Writes struct cx_settings into .rodata, whose only variable is `settings`, at offset 0. */
    private static void writeSettings(Pointer obj, NoAuditCallers noAudit) {
        LongByReference size = new LongByReference();
        Pointer rodata = check(LIB.bpf_map__initial_value(map(obj, ".rodata"), size),
                "bpf_map__initial_value", "writing settings into .rodata");
        if (size.getValue() != Layout.SETTINGS_SIZE) {
            // Another const in the program would move `settings` away from offset 0.
            throw new BpfException(".rodata of " + OBJECT_RESOURCE + " is " + size.getValue()
                    + " bytes, expected only struct cx_settings (" + Layout.SETTINGS_SIZE + ")");
        }
        rodata.setInt(Layout.SETTINGS_MAX_SLOTS, Layout.CX_MAX_SLOTS);
        rodata.setInt(Layout.SETTINGS_PAD, 0);
        for (int i = 0; i < Layout.CX_NOAUDIT_CALLERS; i++) {
            boolean set = i < noAudit.ranges().size();
            rodata.setLong(Layout.SETTINGS_NOAUDIT_START + 8L * i, set ? noAudit.ranges().get(i).start() : 0);
            rodata.setLong(Layout.SETTINGS_NOAUDIT_END + 8L * i, set ? noAudit.ranges().get(i).end() : 0);
        }
    }

    public AttachMethod method() {
        return method;
    }

    public Path pinDir() {
        return pinDir;
    }

    /** True if all required links are pinned in pinDir (attached by this or an earlier daemon). */
    public boolean attached() {
        for (Link link : LINKS) {
            if (!link.optional() && !Files.exists(pinDir.resolve(link.pinName()))) {
                return false;
            }
        }
        return true;
    }

    /** How many of the programs' links are pinned now (required and optional), for /metrics. */
    public int attachedLinks() {
        int n = 0;
        for (Link link : LINKS) {
            if (Files.exists(pinDir.resolve(link.pinName()))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Attaches every program and pins its link in pinDir. A link already pinned is left alone: it
     * runs a previous load's program into the same pinned maps. Returns one line per optional
     * link that could not attach (e.g. a syscall tracepoint this kernel or architecture lacks).
     */
    public List<String> attach() {
        Pointer o = object();
        List<String> skipped = new ArrayList<>();
        for (Link link : LINKS) {
            Path pin = pinDir.resolve(link.pinName());
            if (disabled.contains(link.sensor())) {
                detach(link); // an earlier daemon may have attached it
                continue;
            }
            if (Files.exists(pin)) {
                continue;
            }
            String prog = link.programName(method);
            Pointer p = program(o, prog);
            if (link.optional() && LIB.bpf_program__fd(p) < 0) {
                skipped.add(prog + ": not loaded (no such tracepoint in this kernel's BTF)");
                continue;
            }
            Pointer l;
            try {
                l = check(LIB.bpf_program__attach(p), "bpf_program__attach", "attaching " + prog);
            } catch (BpfException e) {
                if (!link.optional()) {
                    throw e;
                }
                skipped.add(e.getMessage());
                continue;
            }
            try {
                check(LIB.bpf_link__pin(l, pin.toString()), "bpf_link__pin", "pinning " + pin);
            } finally {
                // Closes our fd only: the pin keeps a pinned link attached, an unpinned one detaches.
                LIB.bpf_link__destroy(l);
            }
        }
        return skipped;
    }

    /** Leaves these sensors out of every later {@link #attach}. */
    public void disable(java.util.Set<Sensor> sensors) {
        disabled.addAll(sensors);
    }

    /** Unpins and destroys the links, so an idle host pays nothing. The maps stay pinned. */
    public void detach() {
        for (Link link : LINKS) {
            detach(link);
        }
    }

    private void detach(Link link) {
        Path pin = pinDir.resolve(link.pinName());
        if (!Files.exists(pin)) {
            return;
        }
        Pointer l = check(LIB.bpf_link__open(pin.toString()), "bpf_link__open", "opening " + pin);
        try {
            check(LIB.bpf_link__unpin(l), "bpf_link__unpin", "unpinning " + pin);
        } finally {
            LIB.bpf_link__destroy(l); // the last reference: the program is detached
        }
    }

    /**
     * How capability checks are seen now: the exact tracepoint when attached, saying when its
     * no-audit checks could not be told apart, else "none".
     */
    public String capabilityMethod() {
        if (!Files.exists(pinDir.resolve(CAP_CAPABLE.pinName()))) {
            return "none";
        }
        String method = "tracepoint capability:cap_capable (" + this.method.reportName() + ")";
        return noAudit.problem() == null ? method : method + "; no-audit checks not told apart: " + noAudit.problem();
    }

    /** How file syscalls are seen now, naming how many of the sys_exit tracepoints are attached. */
    public String fileMethod() {
        long n = LINKS.stream().filter(l -> l.sensor() == Sensor.FILES && Files.exists(pinDir.resolve(l.pinName()))).count();
        return n == 0 ? "none" : "tracepoints syscalls/sys_exit_* (" + n + " of " + FILE_SYSCALLS.size() + ")";
    }

    /** Records a container's cgroup (flag ROOT) in the given slot. */
    public void addCgroup(long cgroupId, int slot) {
        checkSlot(slot);
        object();
        Memory key = new Memory(Layout.CGROUP_KEY_SIZE);
        key.setLong(0, cgroupId);
        Memory value = new Memory(Layout.CGROUP_ENTRY_SIZE);
        value.setInt(Layout.CGROUP_ENTRY_SLOT, slot);
        value.setInt(Layout.CGROUP_ENTRY_FLAGS, Layout.CX_CGROUP_ROOT);
        check(LIB.bpf_map_update_elem(cgroupsFd, key, value, Libbpf.BPF_ANY), "bpf_map_update_elem",
                "adding cgroup " + cgroupId + " to " + MAP_CGROUPS);
        // after the hash entry: a reader sent to the hash by a shared bucket must find it
        updateFilter(Layout.CX_FILTER_ADD, cgroupId, slot);
    }

    /**
     * Puts every entry of recorded_cgroups into cgroup_filter (idempotent): for maps pinned by a
     * daemon that had no filter, or to repair one.
     */
    public void rebuildFilter() {
        for (Map.Entry<Long, CgroupEntry> e : cgroups().entrySet()) {
            updateFilter(Layout.CX_FILTER_ADD, e.getKey(), e.getValue().slot());
        }
    }

    /** The cgroup_filter bucket a cgroup id maps to (see contxray.h for the encoding). */
    public long filterBucket(long cgroupId) {
        object();
        Memory key = new Memory(Layout.FILTER_KEY_SIZE);
        key.setInt(0, (int) (cgroupId & Layout.CX_FILTER_LOW_MASK));
        Memory value = new Memory(Layout.FILTER_VALUE_SIZE);
        check(LIB.bpf_map_lookup_elem(filterFd, key, value), "bpf_map_lookup_elem", "reading " + MAP_FILTER);
        return value.getLong(0);
    }

    /** Runs filter_update, so that user space writes cgroup_filter atomically like the kernel does. */
    private void updateFilter(int op, long cgroupId, int slot) {
        Memory ctx = new Memory(Layout.FILTER_UPDATE_SIZE);
        ctx.clear();
        ctx.setLong(Layout.FILTER_UPDATE_CGROUP_ID, cgroupId);
        ctx.setInt(Layout.FILTER_UPDATE_SLOT, slot);
        ctx.setInt(Layout.FILTER_UPDATE_OP, op);
        Memory opts = new Memory(Layout.TEST_RUN_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, Layout.TEST_RUN_OPTS_SIZE);
        opts.setPointer(Layout.TEST_RUN_OPTS_CTX_IN, ctx);
        opts.setInt(Layout.TEST_RUN_OPTS_CTX_SIZE_IN, Layout.FILTER_UPDATE_SIZE);
        check(LIB.bpf_prog_test_run_opts(filterUpdateFd, opts), "bpf_prog_test_run_opts",
                (op == Layout.CX_FILTER_ADD ? "adding cgroup " : "removing cgroup ") + cgroupId + " (slot " + slot
                        + ") in " + MAP_FILTER);
    }

    /** Stops recording a slot: deletes its root and child cgroup entries. */
    public void removeSlot(int slot) {
        checkSlot(slot);
        Memory key = new Memory(Layout.CGROUP_KEY_SIZE);
        for (Map.Entry<Long, CgroupEntry> e : cgroups().entrySet()) {
            if (e.getValue().slot() != slot) {
                continue;
            }
            updateFilter(Layout.CX_FILTER_REMOVE, e.getKey(), slot);
            key.setLong(0, e.getKey());
            int ret = LIB.bpf_map_delete_elem(cgroupsFd, key);
            if (ret != -Libbpf.ENOENT) { // ENOENT: cgroup_rmdir removed it meanwhile
                check(ret, "bpf_map_delete_elem", "removing cgroup " + e.getKey() + " of slot " + slot);
            }
        }
    }

    /** Every entry of recorded_cgroups: cgroup id -> slot and flags. */
    public Map<Long, CgroupEntry> cgroups() {
        object();
        Map<Long, CgroupEntry> out = new LinkedHashMap<>();
        Memory key = new Memory(Layout.CGROUP_KEY_SIZE);
        Memory next = new Memory(Layout.CGROUP_KEY_SIZE);
        Memory value = new Memory(Layout.CGROUP_ENTRY_SIZE);
        Pointer prev = null; // NULL key: start from the first entry
        // The kernel restarts from the first key if `prev` was deleted meanwhile, so bound the walk.
        for (int i = 0; i < 4 * Layout.CX_MAX_CGROUPS; i++) {
            int ret = LIB.bpf_map_get_next_key(cgroupsFd, prev, next);
            if (ret == -Libbpf.ENOENT) {
                break;
            }
            check(ret, "bpf_map_get_next_key", "listing " + MAP_CGROUPS);
            long id = next.getLong(0);
            key.setLong(0, id);
            ret = LIB.bpf_map_lookup_elem(cgroupsFd, key, value);
            if (ret != -Libbpf.ENOENT) {
                check(ret, "bpf_map_lookup_elem", "reading cgroup " + id + " of " + MAP_CGROUPS);
                out.put(id, new CgroupEntry(value.getInt(Layout.CGROUP_ENTRY_SLOT),
                        value.getInt(Layout.CGROUP_ENTRY_FLAGS)));
            }
            prev = key;
        }
        return out;
    }

    /** A slot's counts, summed over all possible CPUs. */
    public SlotCounts readCounts(int slot) {
        checkSlot(slot);
        object();
        int n = Layout.CX_NR_SYSCALLS;
        long[][] nativeSums = new long[Layout.CX_PHASES][n];
        long[][] compatSums = new long[Layout.CX_PHASES][n];
        long[][] x32Sums = new long[Layout.CX_PHASES][Layout.CX_NR_X32];
        long outOfRange = 0;
        int stride = perCpuStride();
        int x32Stride = x32Stride();
        Memory key = new Memory(Layout.COUNTS_KEY_SIZE);
        Memory values = new Memory((long) stride * cpus);
        Memory x32Values = new Memory((long) x32Stride * cpus);
        long[] cpuCounts = new long[n];
        long[] cpuX32 = new long[Layout.CX_NR_X32];
        for (int phase = 0; phase < Layout.CX_PHASES; phase++) {
            key.setInt(0, Layout.countsKey(slot, phase));
            check(LIB.bpf_map_lookup_elem(countsFd, key, values), "bpf_map_lookup_elem",
                    "reading " + MAP_COUNTS + " of slot " + slot);
            check(LIB.bpf_map_lookup_elem(x32CountsFd, key, x32Values), "bpf_map_lookup_elem",
                    "reading " + MAP_X32_COUNTS + " of slot " + slot);
            for (int cpu = 0; cpu < cpus; cpu++) {
                long base = (long) cpu * stride;
                addInto(nativeSums[phase], values, base + Layout.SYSCALL_COUNTS_NATIVE, cpuCounts);
                addInto(compatSums[phase], values, base + Layout.SYSCALL_COUNTS_COMPAT, cpuCounts);
                outOfRange += values.getLong(base + Layout.SYSCALL_COUNTS_OUT_OF_RANGE);
                addInto(x32Sums[phase], x32Values, (long) cpu * x32Stride, cpuX32);
            }
        }
        return new SlotCounts(nativeSums[Layout.CX_PHASE_BEFORE], compatSums[Layout.CX_PHASE_BEFORE],
                nativeSums[Layout.CX_PHASE_FILTERED], compatSums[Layout.CX_PHASE_FILTERED], outOfRange,
                x32Sums[Layout.CX_PHASE_BEFORE], x32Sums[Layout.CX_PHASE_FILTERED]);
    }

    private static void addInto(long[] sum, Memory values, long offset, long[] scratch) {
        values.read(offset, scratch, 0, scratch.length);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += scratch[i];
        }
    }

    /** Zeroes both phases of a slot on every CPU, before the slot is given to a new container. */
    public void clearCounts(int slot) {
        checkSlot(slot);
        object();
        Memory key = new Memory(Layout.COUNTS_KEY_SIZE);
        Memory zeros = new Memory((long) Math.max(perCpuStride(), x32Stride()) * cpus);
        zeros.clear();
        for (int phase = 0; phase < Layout.CX_PHASES; phase++) {
            key.setInt(0, Layout.countsKey(slot, phase));
            check(LIB.bpf_map_update_elem(countsFd, key, zeros, Libbpf.BPF_ANY), "bpf_map_update_elem",
                    "clearing " + MAP_COUNTS + " of slot " + slot);
            check(LIB.bpf_map_update_elem(x32CountsFd, key, zeros, Libbpf.BPF_ANY), "bpf_map_update_elem",
                    "clearing " + MAP_X32_COUNTS + " of slot " + slot);
        }
    }

    /**
     * A consumer of the `events` ring buffer; the caller polls it from one thread and closes it
     * before this program.
     */
    public EventRing openEventRing(java.util.function.Consumer<ProcessEvent> sink) {
        object();
        return EventRing.open(eventsFd, Layout.CX_EVENTS_SIZE, sink);
    }

    /**
     * Events of a slot the ring buffer had no room for, summed over all CPUs, indexed by event
     * type (CX_EVENT_EXEC, CX_EVENT_FORK, CX_EVENT_EXIT; index 0 unused).
     */
    public long[] readEventDrops(int slot) {
        checkSlot(slot);
        object();
        long[] out = new long[Layout.CX_EVENT_TYPES];
        for (int type = 1; type < Layout.CX_EVENT_TYPES; type++) {
            out[type] = sumPerCpu(dropsFd, Layout.dropsKey(slot, type), MAP_DROPS + " of slot " + slot);
        }
        return out;
    }

    /** TCP connection events of a slot the ring buffer had no room for, summed over all CPUs. */
    public long readNetDrops(int slot) {
        checkSlot(slot);
        object();
        return sumPerCpu(netDropsFd, slot, MAP_NET_DROPS + " of slot " + slot);
    }

    /** File or capability events (CX_EVENT_FILE, CX_EVENT_CAP) of a slot the ring buffer had no room for. */
    public long readTypeDrops(int slot, int type) {
        checkSlot(slot);
        object();
        return sumPerCpu(typeDropsFd, Layout.typeDropsKey(slot, type), MAP_TYPE_DROPS + " of slot " + slot);
    }

    /** Zeroes a slot's drop counters (event_drops, net_drops, type_drops) on every CPU. */
    public void clearEventDrops(int slot) {
        checkSlot(slot);
        object();
        for (int type = 0; type < Layout.CX_EVENT_TYPES; type++) {
            zeroPerCpu(dropsFd, Layout.dropsKey(slot, type), MAP_DROPS + " of slot " + slot);
        }
        zeroPerCpu(netDropsFd, slot, MAP_NET_DROPS + " of slot " + slot);
        for (int type = 0; type < Layout.CX_DROP_TYPES; type++) {
            zeroPerCpu(typeDropsFd, Layout.typeDropsKey(slot, type), MAP_TYPE_DROPS + " of slot " + slot);
        }
    }

    /** A slot's capability check counts: [capability number][outcome] (CX_CAP_GRANTED | CX_CAP_RUNTIME). */
    public long[][] readCapCounts(int slot) {
        checkSlot(slot);
        object();
        Memory key = new Memory(Layout.DROPS_KEY_SIZE);
        key.setInt(0, slot);
        Memory value = new Memory(Layout.CAP_COUNTS_SIZE);
        check(LIB.bpf_map_lookup_elem(capCountsFd, key, value), "bpf_map_lookup_elem",
                "reading " + MAP_CAP_COUNTS + " of slot " + slot);
        long[][] out = new long[Layout.CX_CAPS][Layout.CX_CAP_OUTCOMES];
        for (int cap = 0; cap < Layout.CX_CAPS; cap++) {
            value.read((long) cap * Layout.CX_CAP_OUTCOMES * 8, out[cap], 0, Layout.CX_CAP_OUTCOMES);
        }
        return out;
    }

    /**
     * Removes a slot's entries from repeat_counts and returns them (the first time of each access
     * is the event that carried its key).
     */
    public List<RepeatCount> takeRepeatCounts(int slot) {
        return takeSlotEntries(repeatCountsFd, MAP_REPEAT_COUNTS, Layout.REPEAT_KEY_SIZE, Layout.REPEAT_KEY_SLOT,
                Layout.CX_MAX_REPEAT_KEYS, slot, (key, count) -> new RepeatCount(key.getInt(Layout.REPEAT_KEY_TYPE),
                        key.getLong(Layout.REPEAT_KEY_HASH), count));
    }

    /**
     * Removes a slot's entries from arg_counts and returns them: at the end of a recording, and
     * before a slot is given to a new container (what a daemon that died before finishing it left).
     */
    public List<ArgCount> takeArgCounts(int slot) {
        return takeSlotEntries(argCountsFd, MAP_ARG_COUNTS, Layout.ARG_KEY_SIZE, Layout.ARG_KEY_SLOT,
                Layout.CX_MAX_ARG_KEYS, slot, (key, count) -> new ArgCount(key.getShort(Layout.ARG_KEY_NR) & 0xffff,
                        key.getShort(Layout.ARG_KEY_PHASE) & 0xffff, key.getLong(Layout.ARG_KEY_VALUE), count));
    }

    /** One entry of a per-slot hash map of u64 counts, from its key (native memory) and count. */
    private interface SlotEntry<T> {
        T of(Memory key, long count);
    }

    /** Removes and returns the entries of a hash map (key with a u32 slot at slotOffset, u64 value) of one slot. */
    private <T> List<T> takeSlotEntries(int fd, String mapName, int keySize, int slotOffset, int maxKeys, int slot,
                                        SlotEntry<T> entry) {
        checkSlot(slot);
        object();
        Memory key = new Memory(keySize);
        Memory next = new Memory(keySize);
        Memory value = new Memory(8);
        List<byte[]> mine = new ArrayList<>();
        Pointer prev = null;
        // Collect first, delete after: deleting while walking restarts the walk from the first key.
        for (int i = 0; i < 2 * maxKeys; i++) {
            int ret = LIB.bpf_map_get_next_key(fd, prev, next);
            if (ret == -Libbpf.ENOENT) {
                break;
            }
            check(ret, "bpf_map_get_next_key", "listing " + mapName);
            byte[] k = next.getByteArray(0, keySize);
            if (next.getInt(slotOffset) == slot) {
                mine.add(k);
            }
            key.write(0, k, 0, k.length);
            prev = key;
        }
        List<T> out = new ArrayList<>();
        for (byte[] k : mine) {
            key.write(0, k, 0, k.length);
            if (LIB.bpf_map_lookup_elem(fd, key, value) == 0) {
                out.add(entry.of(key, value.getLong(0)));
            }
            int ret = LIB.bpf_map_delete_elem(fd, key);
            if (ret != -Libbpf.ENOENT) {
                check(ret, "bpf_map_delete_elem", "removing an entry of slot " + slot + " from " + mapName);
            }
        }
        return out;
    }

    /** Zeroes a slot's capability counts, before the slot is given to a new container. */
    public void clearCapCounts(int slot) {
        checkSlot(slot);
        object();
        Memory key = new Memory(Layout.DROPS_KEY_SIZE);
        key.setInt(0, slot);
        Memory zeros = new Memory(Layout.CAP_COUNTS_SIZE);
        zeros.clear();
        check(LIB.bpf_map_update_elem(capCountsFd, key, zeros, Libbpf.BPF_ANY), "bpf_map_update_elem",
                "clearing " + MAP_CAP_COUNTS + " of slot " + slot);
    }

    /** A per-CPU u64 array element (key: u32), summed. */
    private long sumPerCpu(int fd, int index, String what) {
        Memory key = new Memory(Layout.DROPS_KEY_SIZE);
        key.setInt(0, index);
        Memory values = new Memory((long) Layout.DROPS_VALUE_SIZE * cpus);
        check(LIB.bpf_map_lookup_elem(fd, key, values), "bpf_map_lookup_elem", "reading " + what);
        long sum = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            sum += values.getLong((long) cpu * Layout.DROPS_VALUE_SIZE);
        }
        return sum;
    }

    private void zeroPerCpu(int fd, int index, String what) {
        Memory key = new Memory(Layout.DROPS_KEY_SIZE);
        key.setInt(0, index);
        Memory zeros = new Memory((long) Layout.DROPS_VALUE_SIZE * cpus);
        zeros.clear();
        check(LIB.bpf_map_update_elem(fd, key, zeros, Libbpf.BPF_ANY), "bpf_map_update_elem", "clearing " + what);
    }

    /** Frees the object and its fds; pinned maps and links stay. Idempotent. */
    @Override
    public void close() {
        if (obj != null) {
            LIB.bpf_object__close(obj);
            obj = null;
            Reference.reachabilityFence(objectBytes);
        }
    }

    /** The pin file name of a pinned map. */
    static String pinName(String map) {
        return RENAMED_PINS.getOrDefault(map, map);
    }

    /** Deletes every contxray pin in pinDir (detaching pinned links) and pinDir if then empty. */
    public static void removePins(Path pinDir) {
        List<String> names = new ArrayList<>();
        for (Link link : LINKS) {
            names.add(link.pinName());
        }
        PINNED_MAPS.forEach(m -> names.add(pinName(m)));
        names.addAll(RETIRED_PINS);
        try {
            for (String name : names) {
                Files.deleteIfExists(pinDir.resolve(name));
            }
            Files.deleteIfExists(pinDir);
        } catch (DirectoryNotEmptyException e) {
            // someone else's pins live there too: keep the directory
        } catch (IOException e) {
            throw new UncheckedIOException("removing contxray pins in " + pinDir, e);
        }
    }

    /** The kernel copies per-CPU values with each CPU's value rounded up to 8 bytes. */
    private static int perCpuStride() {
        return (Layout.SYSCALL_COUNTS_SIZE + 7) & ~7;
    }

    private static int x32Stride() {
        return (Layout.X32_COUNTS_SIZE + 7) & ~7;
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= Layout.CX_MAX_SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " outside 0.." + (Layout.CX_MAX_SLOTS - 1));
        }
    }

    private Pointer object() {
        if (obj == null) {
            throw new IllegalStateException("SyscallRecorderProgram is closed");
        }
        return obj;
    }
}
