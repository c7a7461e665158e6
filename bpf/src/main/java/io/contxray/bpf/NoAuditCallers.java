package io.contxray.bpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel functions that check a capability without auditing it (CAP_OPT_NOAUDIT), as address
 * ranges read from {@code /proc/kallsyms}, for the program's settings: the cap_capable tracepoint
 * does not carry the flag, so the program looks for these callers in the check's kernel stack.
 * A function's range ends where the next symbol starts.
 *
 * @param ranges     found callers, at most {@link Layout#CX_NOAUDIT_CALLERS}
 * @param problem    why none could be found (symbols unreadable or hidden), else null
 */
public record NoAuditCallers(List<Range> ranges, String problem) {
    /**
     * security_vm_enough_memory_mm: memory overcommit's CAP_SYS_ADMIN, on every accounted mmap
     * and brk (its capability hook, cap_vm_enough_memory, is inlined or called from it);
     * ns_capable_noaudit and has_(ns_)capability_noaudit: ptrace_may_access's quiet mode (what
     * /proc shows), sysctl permissions, and others deciding without failing.
     */
    static final List<String> FUNCTIONS = List.of("security_vm_enough_memory_mm", "ns_capable_noaudit",
            "has_ns_capability_noaudit", "has_capability_noaudit");
    static final Path KALLSYMS = Path.of("/proc/kallsyms");

    public record Range(String function, long start, long end) {
    }

    public NoAuditCallers {
        ranges = List.copyOf(ranges);
        if (ranges.size() > Layout.CX_NOAUDIT_CALLERS) {
            throw new IllegalArgumentException(ranges.size() + " no-audit callers, the program has room for "
                    + Layout.CX_NOAUDIT_CALLERS);
        }
    }

    /** Reads {@link #KALLSYMS}; an unreadable file is a problem, not an error: checks are then not told apart. */
    public static NoAuditCallers fromKernel() {
        try (BufferedReader in = Files.newBufferedReader(KALLSYMS, StandardCharsets.US_ASCII)) {
            return parse(in);
        } catch (IOException | RuntimeException e) {
            return new NoAuditCallers(List.of(), "reading " + KALLSYMS + ": " + e.getMessage());
        }
    }

    /** Parses kallsyms lines ("ffffffff8136fc30 T ns_capable_noaudit", modules with a "\t[name]" suffix). */
    static NoAuditCallers parse(BufferedReader in) throws IOException {
        Map<String, Long> starts = new HashMap<>();
        long[] addresses = new long[1 << 17];
        int n = 0;
        String line;
        while ((line = in.readLine()) != null) {
            int a = line.indexOf(' ');
            int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            if (b < 0) {
                continue;
            }
            long address = Long.parseUnsignedLong(line, 0, a, 16);
            if (address == 0) {
                continue; // hidden by kptr_restrict
            }
            if (n == addresses.length) {
                addresses = Arrays.copyOf(addresses, n * 2);
            }
            addresses[n++] = address;
            String name = line.substring(b + 1);
            if (FUNCTIONS.contains(name)) {
                starts.putIfAbsent(name, address);
            }
        }
        if (n == 0) {
            return new NoAuditCallers(List.of(), KALLSYMS + " shows no addresses (kptr_restrict, or not root)");
        }
        long[] sorted = Arrays.copyOf(addresses, n);
        Arrays.sort(sorted); // signed order is the unsigned one: kernel addresses all have the top bit set
        List<Range> ranges = new ArrayList<>();
        for (String function : FUNCTIONS) {
            Long start = starts.get(function);
            if (start == null) {
                continue; // e.g. inlined, or a kernel without it
            }
            int i = Arrays.binarySearch(sorted, start);
            while (i < n && sorted[i] == start) {
                i++;
            }
            if (i < n) {
                ranges.add(new Range(function, start, sorted[i]));
            }
        }
        return new NoAuditCallers(ranges, ranges.isEmpty() ? "none of " + FUNCTIONS + " in " + KALLSYMS : null);
    }
}
