package io.contxray.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One request to the recorder daemon; fields a given op does not use stay null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Request(int v, String op, String id, Integer pid, String bundle, Map<String, String> annotations) {

    public static final String REGISTER = "register";
    public static final String STOP = "stop";
    public static final String STATUS = "status";

    public static Request register(String id, int pid, String bundle, Map<String, String> annotations) {
        return new Request(Protocol.VERSION, REGISTER, id, pid, bundle, annotations);
    }

    public static Request stop(String id) {
        return new Request(Protocol.VERSION, STOP, id, null, null, null);
    }

    public static Request status() {
        return new Request(Protocol.VERSION, STATUS, null, null, null, null);
    }
}
