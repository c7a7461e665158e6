package io.contxray.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The daemon's answer: ok with op-specific fields, or one error line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Response(int v, boolean ok, String error, Integer slot, Long cgroupId, String report,
                       String method, List<Map<String, Object>> containers) {

    public static Response error(String message) {
        return new Response(Protocol.VERSION, false, oneLine(message), null, null, null, null, null);
    }

    public static Response registered(int slot, long cgroupId) {
        return new Response(Protocol.VERSION, true, null, slot, cgroupId, null, null, null);
    }

    public static Response stopped(String reportPath) {
        return new Response(Protocol.VERSION, true, null, null, null, reportPath, null, null);
    }

    public static Response patched() {
        return new Response(Protocol.VERSION, true, null, null, null, null, null, null);
    }

    public static Response status(String method, List<Map<String, Object>> containers) {
        return new Response(Protocol.VERSION, true, null, null, null, null, method, containers);
    }

    static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("[\\r\\n]+", " ").trim();
    }
}
