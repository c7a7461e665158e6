package io.contxray.analyzer;

import java.util.List;

/**
 * report.json's {@code network}: the container's TCP activity, its other socket destinations
 * (UDP, ICMP, raw) and its unix socket connects, aggregated (never one line per connection).
 *
 * @param listening ports the container listened on
 * @param outbound  TCP connections it opened, per (remote address, remote port, peer)
 * @param inbound   TCP connections it accepted, per (remote address, local port, peer)
 * @param datagrams connects and sends of other IP sockets, per (protocol, remote address, port, peer)
 * @param unix      connects and sends to unix sockets, per path
 */
public record Network(List<Listen> listening, List<Outbound> outbound, List<Inbound> inbound, List<Datagram> datagrams,
                      List<UnixSocket> unix) {
    public static final Network NONE = new Network(List.of(), List.of(), List.of());

    public Network(List<Listen> listening, List<Outbound> outbound, List<Inbound> inbound) {
        this(listening, outbound, inbound, List.of(), List.of());
    }

    public Network {
        listening = List.copyOf(listening);
        outbound = List.copyOf(outbound);
        inbound = List.copyOf(inbound);
        datagrams = List.copyOf(datagrams);
        unix = List.copyOf(unix);
    }

    /**
     * @param protocol udp, icmp, raw, or protoN
     * @param connects connect() calls to it; sends: sendto/sendmsg calls with it as the address
     * @param errors   failed calls per errno name
     * @param unnamed  why no peer was named, when none was (see {@link Outbound})
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Datagram(String protocol, String family, String remote, int port, long connects, long sends,
                           java.util.SortedMap<String, Long> errors, String firstTime, Peer peer, String unnamed) {
    }

    /** @param path the socket's path, or "@name" for an abstract one */
    public record UnixSocket(String path, long connects, long sends, java.util.SortedMap<String, Long> errors,
                             String firstTime) {
    }

    public record Listen(String family, String address, int port) {
    }

    /**
     * @param peer    the container that held the remote address (or published the host port) when
     *                these connections were made; else null
     * @param unnamed without a peer: {@link #NO_ENGINE_KNEW} or {@link #HISTORY_DROPPED}; null for
     *                loopback, which is the container's own
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Outbound(String family, String remote, int port, long count, String firstTime, Peer peer,
                           String unnamed) {
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Inbound(String family, String remote, int localPort, long count, String firstTime, Peer peer,
                          String unnamed) {
    }

    public static final String NO_ENGINE_KNEW = "no engine knew the address";
    public static final String HISTORY_DROPPED = "the address history had dropped it";

    /**
     * Another container, as its engine named it.
     *
     * @param namedBy how the recorder learnt who held the address: engine-event, listing or
     *                registration (null for the container's own name, and in older recordings)
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Peer(String id, String name, String image, String namedBy) {
    }
}
