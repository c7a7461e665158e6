package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A plain summary of one recording's network needs, for Docker users writing firewall rules
 * or compose networks by hand: the ports it listened on and who connected to each, and where it
 * connected or sent to, with peer names where the recorder knew them.
 */
public final class NetworkSummary {
    private NetworkSummary() {
    }

    /** Lines for one recording (its report.json). */
    public static List<String> of(String source, JsonNode report) {
        List<String> out = new ArrayList<>();
        String name = report.path("name").asText("");
        String image = report.path("image").asText("");
        out.add("container " + (name.isEmpty() ? source : name + " (" + source + ")") + (image.isEmpty() ? "" : " image " + image));
        JsonNode net = report.path("network");
        SortedMap<Integer, List<String>> sources = new TreeMap<>();
        net.path("listening").forEach(l -> sources.putIfAbsent(l.path("port").asInt(), new ArrayList<>()));
        net.path("inbound").forEach(e -> sources.computeIfAbsent(e.path("localPort").asInt(), p -> new ArrayList<>())
                .add(who(e.path("remote").asText(), e) + " x" + e.path("count").asLong()));
        if (sources.isEmpty()) {
            out.add("  inbound: none");
        }
        sources.forEach((port, from) -> out.add("  inbound tcp/" + port + " from "
                + (from.isEmpty() ? "nobody seen (listening only)" : String.join(", ", from))));
        List<String> to = new ArrayList<>();
        net.path("outbound").forEach(e -> to.add("tcp " + who(e.path("remote").asText() + ":" + e.path("port").asInt(), e)
                + " x" + e.path("count").asLong()));
        net.path("datagrams").forEach(e -> to.add(e.path("protocol").asText() + " "
                + who(e.path("remote").asText() + (e.path("port").asInt() > 0 ? ":" + e.path("port").asInt() : ""), e)
                + " x" + (e.path("connects").asLong() + e.path("sends").asLong())));
        net.path("unix").forEach(e -> to.add("unix " + e.path("path").asText() + " x"
                + (e.path("connects").asLong() + e.path("sends").asLong())));
        if (to.isEmpty()) {
            out.add("  outbound: none");
        }
        to.forEach(t -> out.add("  outbound " + t));
        return out;
    }

    private static String who(String address, JsonNode e) {
        JsonNode peer = e.path("peer");
        if (peer.hasNonNull("name")) {
            return address + " (" + peer.get("name").asText() + ")";
        }
        return NetworkPolicyExport.isLoopback(e.path("remote").asText()) ? address + " (loopback)" : address;
    }
}
