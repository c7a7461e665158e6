package io.contxray.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contxray.model.ContainerEvent;
import io.contxray.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    @Test
    void linesAreWhatTheMapperWrites() throws Exception {
        EventJson json = new EventJson();
        for (ContainerEvent e : List.of(
                ContainerEvent.exec("t", 1, "c", 2, 2, 1, 0, 0, "sh", "/bin/sh", List.of("sh", "-c", "a \"q\" \\ \n"), 3,
                        true, false),
                ContainerEvent.file("t", 5, "c", 3, 4, "cat", "open", "/etc/hostname", null, List.of("read", "write"), 2,
                        -13, "EACCES", true, "beef"),
                ContainerEvent.socket("t", 6, "c", 3, 3, "dig", "udp-send", "ipv6", "::1", 53, null, 40, null, null),
                ContainerEvent.capability("t", 7, "c", 3, 3, "httpd", "NET_BIND_SERVICE", true, "workload", "m"),
                ContainerEvent.repeatCount(ContainerEvent.NET_COUNT, "t", "c", "beef", 12),
                ContainerEvent.peer("t", "c", "10.0.0.2", "p", "web", "nginx:1"))) {
            assertEquals(Json.mapper().writeValueAsString(e), new String(json.line(e), StandardCharsets.UTF_8));
        }
    }
}
