package io.contxray.analyzer;

import java.util.List;

/**
 * report.json's {@code network}: the container's TCP activity, aggregated (never one line per
 * connection).
 *
 * @param listening ports the container listened on
 * @param outbound  connections it opened, per (remote address, remote port)
 * @param inbound   connections it accepted, per (remote address, local port)
 */
public record Network(List<Listen> listening, List<Outbound> outbound, List<Inbound> inbound) {
    public static final Network NONE = new Network(List.of(), List.of(), List.of());

    public Network {
        listening = List.copyOf(listening);
        outbound = List.copyOf(outbound);
        inbound = List.copyOf(inbound);
    }

    public record Listen(String family, String address, int port) {
    }

    /** @param peer the container that had the remote address then, when the engine knew it; else null */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Outbound(String family, String remote, int port, long count, String firstTime, Peer peer) {
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Inbound(String family, String remote, int localPort, long count, String firstTime, Peer peer) {
    }

    /** Another container, as its engine named it. */
    public record Peer(String id, String name, String image) {
    }
}
