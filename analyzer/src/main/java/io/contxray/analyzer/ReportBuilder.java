package io.contxray.analyzer;

import io.contxray.model.Recording;
import io.contxray.model.Registration;
import io.contxray.model.SyscallCounts;
import io.contxray.model.SyscallTable;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.IntFunction;

/** Turns a recording into report.json's content, naming syscalls with the embedded tables. */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /** Without an event log: no processes, network or files; capabilities from the checks and syscalls only. */
    public static Report build(Recording rec) {
        return build(rec, new FromEvents(Processes.NONE, Network.NONE, new FilesBuilder(new PathClassifier(List.of())).build(),
                new CapabilitiesBuilder(rec).build(), null), null);
    }

    /**
     * With the sections built from the container's event log (see {@link Analyzer}) and, for a
     * container run in complain mode, its profile's violations (profiles from {@code store}).
     */
    public static Report build(Recording rec, FromEvents events, ProfileStore store) {
        SyscallTable table = SyscallTable.forArch(rec.arch());
        Cut cut = Cut.of(rec);
        Registration reg = rec.registration();

        Map<Integer, Long> allNative = SyscallCounts.merge(rec.beforeFilterNative(), rec.filteredNative());
        Map<Integer, Long> allCompat = SyscallCounts.merge(rec.beforeFilterCompat(), rec.filteredCompat());
        SyscallCounts.Split all = SyscallCounts.splitX32(allNative, table);
        SortedMap<String, Long> syscalls = SyscallCounts.byName(all.own(), table);
        SortedMap<String, Long> compat = SyscallCounts.byName(allCompat, compatNames(table));
        SortedMap<String, Long> x32 = all.x32().isEmpty() ? null : SyscallCounts.byName(all.x32(), table.x32().orElseThrow());
        SortedMap<String, Long> underFilter = SyscallCounts.byName(SyscallCounts.splitX32(rec.filteredNative(), table).own(), table);
        ArgumentFilters.Section args = ArgumentFilters.section(rec, cut);

        return new Report(
                Report.SCHEMA,
                reg.id(),
                reg.name(),
                reg.image(),
                reg.cgroupId(),
                reg.cgroupPath(),
                reg.bundle(),
                reg.pid(),
                reg.registeredAt(),
                rec.stoppedAt(),
                new Report.RecordingInfo(rec.attachMethod(), table.arch(), cut.kind().label(), cut.explanation(),
                        rec.recoveredAfterRestart()),
                syscalls,
                underFilter,
                SyscallCounts.byName(SyscallCounts.splitX32(rec.beforeFilterNative(), table).own(), table),
                compat,
                x32,
                args,
                events.processes(),
                events.network(),
                events.files(),
                events.capabilities(),
                store == null ? null : RolloutCheck.of(reg.annotations(), underFilter, args, store),
                new Report.Totals(SyscallCounts.total(allNative) + SyscallCounts.total(allCompat),
                        syscalls.size() + compat.size() + (x32 == null ? 0 : x32.size())),
                Report.Drops.of(rec.outOfRange(), rec.events()),
                rec.errors());
    }

    /**
     * Names for compat entries: the i386 table on x86_64. Without a table (aarch64's 32-bit ARM
     * ABI) the numbers are shown as syscall_&lt;nr&gt;.
     */
    static IntFunction<String> compatNames(SyscallTable nativeTable) {
        return nativeTable.compat().<IntFunction<String>>map(t -> t::name).orElse(nr -> "syscall_" + nr);
    }
}
