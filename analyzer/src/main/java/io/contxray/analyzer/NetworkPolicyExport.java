package io.contxray.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Kubernetes NetworkPolicy (networking.k8s.io/v1) from the network sections of one
 * workload's recordings: ingress to each local port from the sources that connected to it,
 * egress to each destination and port it connected or sent to, both sides by address
 * ({@code ipBlock}, /32 or /128: the address the peer had when it was recorded) and named in the
 * policy's annotations. Name lookups keep working: egress to the cluster resolver (kube-dns,
 * port 53 UDP and TCP) is always allowed, and recorded port-53 traffic goes there rather than to
 * the address the recording saw (Docker's embedded resolver is not the cluster's). Loopback
 * stays inside the pod, which policies do not filter; ICMP and raw sockets have no NetworkPolicy
 * protocol and are listed in an annotation instead.
 */
public final class NetworkPolicyExport {
    static final int DNS_PORT = 53;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private NetworkPolicyExport() {
    }

    /** One allowed direction's rule: a protocol and port, with its peers' CIDRs and what they were. */
    private record PortKey(String protocol, int port) implements Comparable<PortKey> {
        @Override
        public int compareTo(PortKey o) {
            int c = protocol.compareTo(o.protocol);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    /**
     * @param podLabels labels selecting the recorded workload's pods (matchLabels)
     * @param networks  the {@code network} section of each recording
     * @param sources   where the recordings came from, for an annotation
     */
    public static ObjectNode policy(String name, String namespace, Map<String, String> podLabels, List<JsonNode> networks,
                                    List<String> sources) {
        ProfileExport.checkName(name);
        ProfileExport.checkName(namespace);
        if (podLabels.isEmpty()) {
            throw new IllegalArgumentException("a NetworkPolicy needs the labels of the pods it selects");
        }
        SortedMap<PortKey, Set<String>> in = new TreeMap<>();
        SortedMap<PortKey, Set<String>> out = new TreeMap<>();
        Set<String> named = new LinkedHashSet<>();
        Set<String> inexpressible = new LinkedHashSet<>();
        for (JsonNode net : networks) {
            net.path("inbound").forEach(e -> add(in, "TCP", e.path("localPort").asInt(), e, "from", named));
            net.path("outbound").forEach(e -> add(out, "TCP", e.path("port").asInt(), e, "to", named));
            net.path("datagrams").forEach(e -> {
                String protocol = e.path("protocol").asText();
                if ("udp".equals(protocol)) {
                    add(out, "UDP", e.path("port").asInt(), e, "to", named);
                } else if (!isLoopback(e.path("remote").asText())) {
                    inexpressible.add(protocol + " to " + e.path("remote").asText());
                }
            });
        }
        ObjectNode o = F.objectNode();
        o.put("apiVersion", "networking.k8s.io/v1");
        o.put("kind", "NetworkPolicy");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        ObjectNode ann = meta.putObject("annotations");
        ann.put("contxray.io/generated-by", "contxray");
        ann.put("contxray.io/recorded-from", String.join(" ", sources));
        if (!named.isEmpty()) {
            ann.put("contxray.io/peers", String.join("; ", named));
        }
        if (!inexpressible.isEmpty()) {
            ann.put("contxray.io/not-expressible", String.join("; ", inexpressible));
        }
        ObjectNode spec = o.putObject("spec");
        ObjectNode labels = spec.putObject("podSelector").putObject("matchLabels");
        new TreeMap<>(podLabels).forEach(labels::put);
        spec.putArray("policyTypes").add("Ingress").add("Egress");
        ArrayNode ingress = spec.putArray("ingress");
        in.forEach((k, cidrs) -> rule(ingress.addObject(), "from", k, cidrs));
        ArrayNode egress = spec.putArray("egress");
        out.entrySet().stream().filter(en -> en.getKey().port() != DNS_PORT)
                .forEach(en -> rule(egress.addObject(), "to", en.getKey(), en.getValue()));
        dns(egress.addObject());
        return o;
    }

    /** A connection's peer address under its port (loopback left out), and its name for the annotation. */
    private static void add(SortedMap<PortKey, Set<String>> into, String protocol, int port, JsonNode e, String direction,
                            Set<String> named) {
        String remote = e.path("remote").asText();
        if (remote.isEmpty() || isLoopback(remote)) {
            return;
        }
        String cidr = cidr(remote);
        into.computeIfAbsent(new PortKey(protocol, port), k -> new java.util.TreeSet<>()).add(cidr);
        JsonNode peer = e.path("peer");
        if (peer.hasNonNull("name") || peer.hasNonNull("id")) {
            String who = peer.hasNonNull("name") ? peer.get("name").asText() : peer.get("id").asText();
            named.add(direction + " " + cidr + " " + protocol + "/" + port + ": " + who
                    + (peer.hasNonNull("image") ? " (" + peer.get("image").asText() + ")" : ""));
        }
    }

    private static void rule(ObjectNode r, String direction, PortKey k, Set<String> cidrs) {
        ArrayNode peers = r.putArray(direction);
        cidrs.forEach(c -> peers.addObject().putObject("ipBlock").put("cidr", c));
        ObjectNode port = r.putArray("ports").addObject();
        port.put("protocol", k.protocol());
        port.put("port", k.port());
    }

    /** Egress to the cluster's DNS service pods (kube-dns, as CoreDNS is labelled too). */
    private static void dns(ObjectNode r) {
        ObjectNode to = r.putArray("to").addObject();
        to.putObject("namespaceSelector").putObject("matchLabels").put("kubernetes.io/metadata.name", "kube-system");
        to.putObject("podSelector").putObject("matchLabels").put("k8s-app", "kube-dns");
        ArrayNode ports = r.putArray("ports");
        for (String protocol : List.of("UDP", "TCP")) {
            ObjectNode p = ports.addObject();
            p.put("protocol", protocol);
            p.put("port", DNS_PORT);
        }
    }

    /** One address as a CIDR of itself; an IPv4-mapped IPv6 address as its IPv4. */
    static String cidr(String address) {
        String a = address.startsWith("::ffff:") && address.indexOf('.') > 0 ? address.substring(7) : address;
        return a + (a.contains(":") ? "/128" : "/32");
    }

    static boolean isLoopback(String address) {
        return address.startsWith("127.") || "::1".equals(address) || address.startsWith("::ffff:127.");
    }

    /** k=v[,k=v...] as labels; refuses what is not one. */
    public static Map<String, String> labels(String selector) {
        Map<String, String> out = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (String pair : selector.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).matches("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?")
                    || !pair.substring(eq + 1).matches("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?")) {
                bad.add(pair);
            } else {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("selector " + selector + ": not label=value: " + String.join(" ", bad));
        }
        return out;
    }
}
