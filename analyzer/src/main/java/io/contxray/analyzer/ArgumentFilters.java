package io.contxray.analyzer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.contxray.model.ArgumentValues;
import io.contxray.model.Errors;
import io.contxray.model.Json;
import io.contxray.model.Recording;
import io.contxray.model.SyscallTable;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Argument rules, on by default: a profile allows {@code socket} only for the address families the
 * workload used, {@code personality} only for the personas it set and {@code clone} only for the
 * namespace bits of its flags it used (the kernel keeps only those), one rule per value, and
 * never a value Docker's default profile refuses for the recommended capabilities. Only where it is
 * known: every call of the syscall in the recording must have had its value recorded (the kernel
 * counts them in {@code arg_counts}, native calls only), and no 32-bit code may have made it, since
 * the kernel does not record compat calls' arguments (socketcall keeps them in user memory).
 * Otherwise the syscall gets Docker's default rule for it, never an unconditional allow where
 * Docker's has a condition.
 */
public final class ArgumentFilters {
    /** The argument the kernel records: the first. */
    static final int ARG = 0;
    static final String EQ = SeccompRule.Arg.EQ;

    /**
     * A syscall whose first argument may be filtered.
     *
     * @param compatNames  i386 names by which 32-bit code makes the same call
     * @param namer        a readable name for a value
     * @param mask         0: a rule compares the whole argument (SCMP_CMP_EQ); else only these bits
     *                     (SCMP_CMP_MASKED_EQ), the only bits the kernel side keeps
     * @param dockerValues the values Docker's default profile allows without a capability; null: any
     * @param dockerCap    with this capability Docker's default allows any value (null: none does)
     */
    record Filterable(String name, List<String> compatNames, LongFunction<String> namer, long mask,
                      Set<Long> dockerValues, String dockerCap) {
        /** Whether Docker's default profile lets a container with {@code caps} make the call with {@code value}. */
        boolean dockerAllows(long value, Set<String> caps) {
            return dockerValues == null || dockerValues.contains(value) || dockerCap != null && caps.contains(dockerCap);
        }

        /** One ALLOW rule per value, in unsigned order. */
        List<SeccompRule> rules(Collection<Long> values) {
            List<SeccompRule> out = new ArrayList<>();
            for (long v : unsignedSet(values)) {
                out.add(SeccompRule.allowIf(name, mask == 0 ? new SeccompRule.Arg(ARG, v, EQ)
                        : SeccompRule.Arg.maskedEq(ARG, mask, v)));
            }
            return out;
        }

        /** Docker's default rule for a container without {@link #dockerCap}: what an unknown recording gets. */
        List<SeccompRule> dockerRules() {
            return dockerValues == null ? List.of(SeccompRule.allow(List.of(name))) : rules(dockerValues);
        }

        /** The value a rule of this syscall allows, when it allows just one (as {@link #rules} writes them). */
        Long valueOf(SeccompRule r) {
            if (r.args() == null || r.args().size() != 1) {
                return null;
            }
            SeccompRule.Arg a = r.args().get(0);
            if (a.index() != ARG) {
                return null;
            }
            if (mask == 0) {
                return EQ.equals(a.op()) ? a.value() : null;
            }
            return SeccompRule.Arg.MASKED_EQ.equals(a.op()) && a.value() == mask && a.valueTwo() != null
                    && (a.valueTwo() & ~mask) == 0 ? a.valueTwo() : null;
        }
    }

    /** CLONE_NEWNS..CLONE_NEWNET and CLONE_NEWCGROUP (bpf/contxray.h, CX_CLONE_NS_MASK). */
    static final long CLONE_NS_MASK = 0x7E020000L;

    /** Sorted by name: the order of the rules in a profile. Docker's values: its profiles/seccomp/default.json. */
    static final List<Filterable> SYSCALLS = List.of(
            new Filterable("clone", List.of("clone"), ArgumentFilters::cloneFlags, CLONE_NS_MASK, Set.of(0L), "SYS_ADMIN"),
            new Filterable("personality", List.of("personality"), ArgumentFilters::hex, 0,
                    Set.of(0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL), null),
            new Filterable("socket", List.of("socket", "socketcall"), ArgumentFilters::family, 0, null, null));

    /** The architecture whose numbers the kernel side checks (bpf/contxray.h, CX_NR_SOCKET, CX_NR_PERSONALITY, CX_NR_CLONE). */
    static final String RECORDED_ARCH = "x86_64";

    /** Bits 25 to 30 of clone's flags. */
    private static final List<String> CLONE_NS_FLAGS = List.of("CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC",
            "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET");

    private static final List<String> FAMILIES = List.of("AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX",
            "AF_APPLETALK", "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet",
            "AF_NETBEUI", "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC",
            "AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS", "AF_CAN", "AF_TIPC",
            "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG",
            "AF_NFC", "AF_VSOCK", "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP");

    private ArgumentFilters() {
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** The namespace flags of clone's masked flags: "none" for 0, "CLONE_NEWNET|CLONE_NEWUSER". */
    static String cloneFlags(long value) {
        if (value == 0) {
            return "none";
        }
        List<String> names = new ArrayList<>();
        long rest = value;
        if ((value & 0x00020000L) != 0) {
            names.add("CLONE_NEWNS");
            rest &= ~0x00020000L;
        }
        for (int bit = 25; bit <= 30; bit++) {
            if ((value & (1L << bit)) != 0) {
                names.add(CLONE_NS_FLAGS.get(bit - 25));
                rest &= ~(1L << bit);
            }
        }
        if (rest != 0) {
            names.add(hex(rest));
        }
        return String.join("|", names);
    }

    /** AF_INET for 2; a number no family has is shown in hex. */
    static String family(long value) {
        return value >= 0 && value < FAMILIES.size() ? FAMILIES.get((int) value) : hex(value);
    }

    static Optional<Filterable> filterable(String name) {
        return SYSCALLS.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The readable name of a value of a filterable syscall's argument. */
    public static String valueName(String syscall, long value) {
        return filterable(syscall).map(f -> f.namer().apply(value)).orElseGet(() -> hex(value));
    }

    /** Values in unsigned order, as seccomp compares them. */
    static SortedSet<Long> unsignedSet(Collection<Long> values) {
        SortedSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        out.addAll(values);
        return out;
    }

    // ---- report.json's argumentValues ----

    /**
     * report.json's {@code argumentValues}: per filterable syscall the recording made, the values of
     * the argument in the calls its profile is built from (the same cut as {@code syscallsUnderFilter}).
     *
     * @param missed calls whose value found the kernel's table full
     */
    public record Section(long missed, SortedMap<String, Seen> syscalls) {
        public Section {
            syscalls = syscalls == null ? new TreeMap<>() : syscalls;
            if (syscalls.containsValue(null)) {
                throw new IllegalArgumentException("a syscall without its values");
            }
        }
    }

    /**
     * @param arg        the argument's index (0)
     * @param calls      calls of the syscall in the profile's part of the recording
     * @param values     per value: its readable name and how many calls had it
     * @param filterable whether the values are all known: the profile allows the syscall only for
     *                   those Docker's default also allows (the default; `--no-arg-filters` turns it off)
     * @param reason     why not, when it does not
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seen(int arg, long calls, List<Value> values, boolean filterable, String reason) {
        public Seen {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /** @param value the argument (unsigned 64-bit) */
    public record Value(@JsonSerialize(using = UnsignedJson.class) @JsonDeserialize(using = UnsignedJson.Reader.class) long value,
                        String name, long count) {
        public Value {
            if (name == null) {
                throw new IllegalArgumentException("value " + Long.toUnsignedString(value) + " has no name");
            }
        }
    }

    /** The section of a recording; null when the recording has no argument values. */
    static Section section(Recording rec, Cut cut) {
        ArgumentValues av = rec.argumentValues();
        if (av == null || !RECORDED_ARCH.equals(SyscallTable.canonicalArch(rec.arch()))) {
            return null;
        }
        SyscallTable table = SyscallTable.forArch(rec.arch());
        SortedSet<String> compatNames = compatNames(rec, cut);
        boolean bothPhases = cut.kind() == Cut.Kind.NONE;
        SortedMap<String, Seen> out = new TreeMap<>();
        for (Filterable f : SYSCALLS) {
            Optional<Integer> nr = table.number(f.name()).stream().boxed().findFirst();
            long calls = nr.map(n -> cut.native_().getOrDefault(n, 0L)).orElse(0L);
            SortedMap<Long, Long> counts = new TreeMap<>(Long::compareUnsigned);
            for (ArgumentValues.Value v : av.values()) {
                if (nr.isPresent() && v.nr() == nr.get() && (bothPhases || v.filtered())) {
                    counts.merge(v.value(), v.count(), Long::sum);
                }
            }
            if (calls == 0 && counts.isEmpty()) {
                continue;
            }
            List<Value> values = new ArrayList<>();
            counts.forEach((value, n) -> values.add(new Value(value, f.namer().apply(value), n)));
            long recorded = counts.values().stream().mapToLong(Long::longValue).sum();
            String reason = null;
            List<String> compat = f.compatNames().stream().filter(compatNames::contains).toList();
            if (!compat.isEmpty()) {
                reason = "32-bit code also made " + String.join(" and ", compat) + ", whose arguments are not recorded";
            } else if (av.missed() > 0) {
                reason = "the kernel's table of argument values was full: " + av.missed() + " call(s) have no value";
            } else if (recorded < calls) {
                reason = "the values of only " + recorded + " of its " + calls + " call(s) were recorded";
            }
            out.put(f.name(), new Seen(ARG, calls, values, reason == null, reason));
        }
        return new Section(av.missed(), out);
    }

    /** The i386 names of the 32-bit calls in the cut (numbers the table lacks are left out). */
    static SortedSet<String> compatNames(Recording rec, Cut cut) {
        SortedSet<String> out = new TreeSet<>();
        SyscallTable.forArch(rec.arch()).compat().ifPresent(t -> cut.compat().keySet().forEach(nr -> {
            if (t.has(nr)) {
                out.add(t.name(nr));
            }
        }));
        return out;
    }

    // ---- what one source knows, for merges ----

    /**
     * What a profile says about the filterable syscalls' arguments: per syscall, every value it
     * allows, or why they are not known.
     */
    public record Known(SortedMap<String, SortedSet<Long>> values, SortedMap<String, String> unknown) {
        public Known {
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
            unknown = Collections.unmodifiableSortedMap(new TreeMap<>(unknown));
        }

        /** Why the values of {@code syscall} are not known, or null when they are. */
        String whyNot(String syscall) {
            if (values.containsKey(syscall)) {
                return null;
            }
            return unknown.getOrDefault(syscall, "no argument values of " + syscall + " were recorded");
        }
    }

    /** A report.json's section, or null when it has none (recorded by an older contxray). */
    public static Section section(JsonNode report) throws IOException {
        JsonNode section = report.path("argumentValues");
        if (!section.isObject()) {
            return null;
        }
        try {
            return Json.mapper().treeToValue(section, Section.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("argumentValues: " + Errors.oneLine(e));
        }
    }

    /**
     * The calls a profile's argument filters do not allow (they fall to its default action):
     * "socket(AF_PACKET)" -> calls, and "socket(argument not recorded)" for calls whose value is
     * unknown. Syscalls the profile allows with any argument, or not at all, are not looked at.
     */
    public static SortedMap<String, Long> outside(SeccompProfile p, Section seen) {
        SortedMap<String, Long> out = new TreeMap<>();
        if (seen == null) {
            return out;
        }
        Known allowed = fromProfile(p);
        seen.syscalls().forEach((name, s) -> {
            SortedSet<Long> ok = allowed.values().get(name);
            if (ok == null) {
                return;
            }
            long recorded = 0;
            for (Value v : s.values()) {
                recorded += v.count();
                if (!ok.contains(v.value())) {
                    out.put(name + "(" + v.name() + ")", v.count());
                }
            }
            if (recorded < s.calls()) {
                out.put(name + "(argument not recorded)", s.calls() - recorded);
            }
        });
        return out;
    }

    /**
     * From a bare profile (a stored or merged one): a syscall it allows only for some values of the
     * first argument (rules as {@link Filterable#rules} writes them) has exactly those; one it allows
     * with any argument, or by conditions of another shape, has none known.
     */
    public static Known fromProfile(SeccompProfile p) {
        SortedMap<String, SortedSet<Long>> values = new TreeMap<>();
        SortedMap<String, String> unknown = new TreeMap<>();
        for (SeccompRule r : p.syscalls()) {
            if (!SeccompRule.ALLOW.equals(r.action())) {
                continue;
            }
            for (String name : r.names()) {
                Long value = r.names().size() == 1 ? filterable(name).map(f -> f.valueOf(r)).orElse(null) : null;
                if (value == null) {
                    unknown.put(name, "the profile allows it with any argument");
                } else {
                    values.computeIfAbsent(name, n -> unsignedSet(List.of())).add(value);
                }
            }
        }
        unknown.keySet().forEach(values::remove);
        return new Known(values, unknown);
    }

    // ---- rules ----

    /**
     * The rules a profile gets for {@code f}: one per value it used that Docker's default profile
     * also allows (for {@code caps}; null: the values were already checked against their own
     * capabilities, so only what no capability allows is left out); when the values are not all
     * known ({@code values} null, {@code why} says why), Docker's default rule for it. Empty: the
     * syscall stays in the profile's plain ALLOW rule (Docker's rule for it has no condition).
     */
    static Optional<List<SeccompRule>> rulesFor(Filterable f, SortedSet<Long> values, String why, Set<String> caps,
                                               List<String> warnings) {
        if (values == null) {
            if (f.dockerValues() == null) {
                warnings.add(f.name() + ": allowed with any argument, as Docker's default profile does (" + why + ")");
                return Optional.empty();
            }
            warnings.add(f.name() + ": allowed only as Docker's default profile allows it, for "
                    + names(f, f.dockerValues()) + " (" + why + ")");
            return Optional.of(f.dockerRules());
        }
        SortedSet<Long> kept = unsignedSet(List.of());
        for (long v : values) {
            boolean allowed = caps == null ? f.dockerAllows(v, Set.of()) || f.dockerCap() != null : f.dockerAllows(v, caps);
            if (allowed) {
                kept.add(v);
            } else {
                warnings.add(f.name() + "(" + f.namer().apply(v) + ") left out of the profile: Docker's default profile "
                        + (f.dockerCap() == null ? "never allows it" : "allows it only with CAP_" + f.dockerCap()
                        + ", which the workload was not seen to need"));
            }
        }
        return Optional.of(f.rules(kept));
    }

    private static String names(Filterable f, Collection<Long> values) {
        List<String> out = new ArrayList<>();
        unsignedSet(values).forEach(v -> out.add(f.namer().apply(v)));
        return String.join(" ", out);
    }

    /** Syscalls some ALLOW rule of the profile allows only for some argument values. */
    static Set<String> conditional(SeccompProfile p) {
        Set<String> out = new TreeSet<>();
        p.syscalls().stream().filter(r -> SeccompRule.ALLOW.equals(r.action()) && r.args() != null && !r.args().isEmpty())
                .forEach(r -> out.addAll(r.names()));
        return out;
    }

    /**
     * Writes an unsigned 64-bit value as a JSON number (seccomp's "value" is a uint64), and reads it
     * back. The smallest number type, so that a tree made of it equals one parsed from its text
     * (the runtime wrapper compares them to tell an already patched config.json).
     */
    static final class UnsignedJson extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                gen.writeNumber(value.intValue());
            } else if (value >= 0) {
                gen.writeNumber(value.longValue());
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
            }
        }

        static final class Reader extends JsonDeserializer<Long> {
            @Override
            public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                BigInteger v = p.getBigIntegerValue();
                if (v.signum() < 0 || v.bitLength() > 64) {
                    throw new IOException(v + " is not an unsigned 64-bit number");
                }
                return v.longValue();
            }
        }
    }
}
