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
            for (String function : FUNCTIONS) {
                if (line.length() == b + 1 + function.length() && line.startsWith(function, b + 1)) {
                    starts.putIfAbsent(function, address);
                }
            }
        }
        if (n == 0) {
            return new NoAuditCallers(List.of(), KALLSYMS + " shows no addresses (kptr_restrict, or not root)");
        }
        List<Range> ranges = new ArrayList<>();
        for (String function : FUNCTIONS) {
            Long start = starts.get(function);
            if (start == null) {
                continue; // e.g. inlined, or a kernel without it
            }
            long end = nextAbove(addresses, n, start);
            if (end != start) {
                ranges.add(new Range(function, start, end));
            }
        }
        return new NoAuditCallers(ranges, ranges.isEmpty() ? "none of " + FUNCTIONS + " in " + KALLSYMS : null);
    }

    /** The lowest of the first n addresses above start (unsigned), or start when none is. */
    private static long nextAbove(long[] addresses, int n, long start) {
        long next = start;
        for (int i = 0; i < n; i++) {
            long a = addresses[i];
            if (Long.compareUnsigned(a, start) > 0 && (next == start || Long.compareUnsigned(a, next) < 0)) {
                next = a;
            }
        }
        return next;
    }
}
