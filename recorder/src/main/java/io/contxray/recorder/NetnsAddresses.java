package io.contxray.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of a process's network namespace, read from its {@code /proc/PID/net} (the
 * namespace's view, not the reader's): its IPv4 addresses from {@code fib_trie} (the keys marked
 * "host LOCAL"), its global IPv6 ones from {@code if_inet6}. Loopback is left out, and so is a
 * process in the reader's own (the host's) namespace: its addresses are the host's, not its own.
 */
final class NetnsAddresses {
    private NetnsAddresses() {
    }

    /** The addresses, or none when the process is gone, shares the host's namespace or /proc cannot tell. */
    static List<String> of(Path proc, int pid) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            if (Files.readSymbolicLink(dir.resolve("ns/net")).equals(Files.readSymbolicLink(proc.resolve("self/ns/net")))) {
                return List.of();
            }
            List<String> out = new ArrayList<>(ipv4(Files.readString(dir.resolve("net/fib_trie"))));
            Path inet6 = dir.resolve("net/if_inet6");
            if (Files.exists(inet6)) {
                out.addAll(ipv6(Files.readString(inet6)));
            }
            return out;
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    /** fib_trie: a "|-- a.b.c.d" key followed by its "/32 host LOCAL" leaf is a local address. */
    static List<String> ipv4(String fibTrie) {
        Set<String> out = new LinkedHashSet<>();
        String key = null;
        for (String line : fibTrie.split("\n")) {
            String t = line.trim();
            if (t.startsWith("|-- ")) {
                key = t.substring(4).trim();
            } else if (t.startsWith("+-- ")) {
                key = null;
            } else if (key != null && t.equals("/32 host LOCAL") && !key.startsWith("127.")) {
                out.add(key);
            }
        }
        return new ArrayList<>(out);
    }

    /** if_inet6: "address(32 hex) ifindex prefix scope flags name"; scope 00 is global. */
    static List<String> ipv6(String ifInet6) {
        List<String> out = new ArrayList<>();
        for (String line : ifInet6.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].length() == 32 && f[3].equals("00")) {
                out.add(EventPump.address(HexFormat.of().parseHex(f[0])));
            }
        }
        return out;
    }
}
