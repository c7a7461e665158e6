package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.model.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyExportTest {
    static final String WEB = """
            {"name": "web", "image": "nginx", "network": {
              "listening": [{"family": "ipv4", "address": "0.0.0.0", "port": 80}, {"family": "ipv4", "port": 8080}],
              "inbound": [{"family": "ipv4", "remote": "172.17.0.3", "localPort": 80, "count": 20,
                           "peer": {"id": "c2", "name": "client", "image": "busybox"}},
                          {"family": "ipv6", "remote": "::ffff:172.17.0.4", "localPort": 80, "count": 1},
                          {"family": "ipv4", "remote": "127.0.0.1", "localPort": 80, "count": 5}],
              "outbound": [{"family": "ipv4", "remote": "10.0.0.5", "port": 5432, "count": 2, "peer": {"name": "db"}},
                           {"family": "ipv6", "remote": "fd00::7", "port": 443, "count": 1}],
              "datagrams": [{"protocol": "udp", "family": "ipv4", "remote": "127.0.0.11", "port": 53, "sends": 4},
                            {"protocol": "udp", "family": "ipv4", "remote": "10.96.0.10", "port": 53, "sends": 1},
                            {"protocol": "udp", "family": "ipv4", "remote": "10.0.0.9", "port": 514, "sends": 1},
                            {"protocol": "icmp", "family": "ipv4", "remote": "10.0.0.1", "port": 0, "sends": 1}],
              "unix": [{"path": "/run/x.sock", "connects": 1, "sends": 0}]}}
            """;

    static JsonNode web() throws Exception {
        return Json.mapper().readTree(WEB);
    }

    @Test
    void ingressPerPortFromItsSourcesEgressPerDestinationAndDnsToTheClusterResolver() throws Exception {
        ObjectNode p = NetworkPolicyExport.policy("web", "shop", Map.of("app", "web"), List.of(web().path("network")),
                List.of("c1"));
        assertEquals("{\"matchLabels\":{\"app\":\"web\"}}", p.at("/spec/podSelector").toString());
        assertEquals("[{\"from\":[{\"ipBlock\":{\"cidr\":\"172.17.0.3/32\"}},{\"ipBlock\":{\"cidr\":\"172.17.0.4/32\"}}],"
                + "\"ports\":[{\"protocol\":\"TCP\",\"port\":80}]}]", p.at("/spec/ingress").toString(),
                "loopback left out, a mapped address as IPv4, 8080 never connected to: not opened");
        JsonNode egress = p.at("/spec/egress");
        assertEquals(4, egress.size(), egress.toString());
        assertEquals("{\"to\":[{\"ipBlock\":{\"cidr\":\"fd00::7/128\"}}],\"ports\":[{\"protocol\":\"TCP\",\"port\":443}]}",
                egress.get(0).toString());
        assertEquals("10.0.0.5/32", egress.get(1).at("/to/0/ipBlock/cidr").asText());
        assertEquals("UDP", egress.get(2).at("/ports/0/protocol").asText());
        assertEquals(514, egress.get(2).at("/ports/0/port").asInt());
        assertEquals("{\"to\":[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"kube-system\"}},"
                + "\"podSelector\":{\"matchLabels\":{\"k8s-app\":\"kube-dns\"}}}],\"ports\":[{\"protocol\":\"UDP\",\"port\":53},"
                + "{\"protocol\":\"TCP\",\"port\":53}]}", egress.get(3).toString(), "port 53 goes to kube-dns, not 127.0.0.11");
        assertEquals("from 172.17.0.3/32 TCP/80: client (busybox); to 10.0.0.5/32 TCP/5432: db",
                p.at("/metadata/annotations/contxray.io~1peers").asText());
        assertEquals("icmp to 10.0.0.1", p.at("/metadata/annotations/contxray.io~1not-expressible").asText());
        assertEquals("[\"Ingress\",\"Egress\"]", p.at("/spec/policyTypes").toString());
    }

    @Test
    void aWorkloadThatTalkedToNobodyGetsOnlyDns() throws Exception {
        ObjectNode p = NetworkPolicyExport.policy("quiet", "default", Map.of("app", "q"),
                List.of(Json.mapper().readTree("{}")), List.of("c"));
        assertEquals(0, p.at("/spec/ingress").size());
        assertEquals(1, p.at("/spec/egress").size());
    }

    @Test
    void selectorsAndNamesAreChecked() {
        assertEquals(Map.of("app", "web", "app.kubernetes.io/tier", "front"),
                NetworkPolicyExport.labels("app=web,app.kubernetes.io/tier=front"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkPolicyExport.labels("app,x=a b"));
        assertEquals("selector app,x=a b: not label=value: app x=a b", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NetworkPolicyExport.policy("Web", "default", Map.of("a", "b"), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkPolicyExport.policy("web", "default", Map.of(), List.of(), List.of()));
    }

    @Test
    void theSummarySaysPortsSourcesAndDestinations() throws Exception {
        List<String> s = NetworkSummary.of("c1", web());
        assertEquals(List.of("container web (c1) image nginx",
                "  inbound tcp/80 from 172.17.0.3 (client) x20, ::ffff:172.17.0.4 x1, 127.0.0.1 (loopback) x5",
                "  inbound tcp/8080 from nobody seen (listening only)",
                "  outbound tcp 10.0.0.5:5432 (db) x2", "  outbound tcp fd00::7:443 x1",
                "  outbound udp 127.0.0.11:53 (loopback) x4", "  outbound udp 10.96.0.10:53 x1", "  outbound udp 10.0.0.9:514 x1",
                "  outbound icmp 10.0.0.1 x1", "  outbound unix /run/x.sock x1"), s);
        assertTrue(NetworkSummary.of("c", Json.mapper().readTree("{}")).containsAll(List.of("  inbound: none", "  outbound: none")));
    }
}
