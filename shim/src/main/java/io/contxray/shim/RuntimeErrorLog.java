package io.contxray.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Appends an error to the runtime log named by runc's {@code --log} flag. containerd's shim reads
 * the last error of that log to explain a failed create ("OCI runtime create failed: ..."), while
 * the wrapper's own stderr goes wherever the container's stdio goes. Best effort.
 */
final class RuntimeErrorLog {
    private RuntimeErrorLog() {
    }

    static void append(List<String> globalArgs, String message) {
        String log = null;
        String format = "text";
        for (int i = 0; i < globalArgs.size(); i++) {
            String a = globalArgs.get(i).replaceFirst("^--?", "");
            String value = null;
            String name = a;
            int eq = a.indexOf('=');
            if (eq >= 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < globalArgs.size() && (a.equals("log") || a.equals("log-format"))) {
                value = globalArgs.get(++i);
            }
            if (name.equals("log")) {
                log = value;
            } else if (name.equals("log-format")) {
                format = value;
            }
        }
        if (log == null || log.isEmpty()) {
            return;
        }
        String line = "json".equals(format)
                ? "{\"level\":\"error\",\"msg\":" + jsonString(message) + ",\"time\":\"" + Instant.now() + "\"}\n"
                : "time=\"" + Instant.now() + "\" level=error msg=" + jsonString(message) + "\n";
        try {
            Files.writeString(Path.of(log), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException ignored) {
            // The message went to stderr as well.
        }
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
