package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetnsAddressesTest {
    private static String resource(String name) throws Exception {
        try (var in = NetnsAddressesTest.class.getResourceAsStream("/netns/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Captured from this kind of machine's host namespace: its bridges' gateways and its own address. */
    @Test
    void localAddressesFromARealFibTrieAndIfInet6() throws Exception {
        assertEquals(List.of("172.31.20.1", "172.31.26.1", "192.0.2.2"), NetnsAddresses.ipv4(resource("host-fib_trie")));
        assertEquals(List.of("fd00::2"), NetnsAddresses.ipv6(resource("host-if_inet6")), "global scope only");
    }

    @Test
    void aProcessInTheReadersOwnNamespaceHasNoneOfItsOwn(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("7/ns"));
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createDirectories(proc.resolve("7/net"));
        Files.writeString(proc.resolve("7/net/fib_trie"), resource("host-fib_trie"));
        Files.createSymbolicLink(proc.resolve("self/ns/net"), Path.of("net:[1]"));
        Files.createSymbolicLink(proc.resolve("7/ns/net"), Path.of("net:[1]"));
        assertEquals(List.of(), NetnsAddresses.of(proc, 7));
        Files.delete(proc.resolve("7/ns/net"));
        Files.createSymbolicLink(proc.resolve("7/ns/net"), Path.of("net:[2]"));
        assertEquals(List.of("172.31.20.1", "172.31.26.1", "192.0.2.2"), NetnsAddresses.of(proc, 7));
        assertEquals(List.of(), NetnsAddresses.of(proc, 8), "gone");
    }
}
