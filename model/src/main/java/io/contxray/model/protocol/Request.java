package io.contxray.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One request to the recorder daemon; fields a given op does not use stay null.
 *
 * @param stage op {@code hook}: the OCI hook stage (createRuntime, prestart, poststop)
 * @param state op {@code hook}: the OCI state JSON the runtime gave the hook, verbatim
 * @param mode  op {@code patch}: which containers to record (annotated, all)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Request(int v, String op, String id, Integer pid, String bundle, Map<String, String> annotations,
                      String stage, String state, String mode) {

    public static final String REGISTER = "register";
    public static final String STOP = "stop";
    public static final String STATUS = "status";
    /** From the native hook client: the daemon parses the state and registers or stops. */
    public static final String HOOK = "hook";
    /** From the runtime wrapper's native client: add contxray's hooks to a bundle's config.json. */
    public static final String PATCH = "patch";

    public static Request register(String id, int pid, String bundle, Map<String, String> annotations) {
        return new Request(Protocol.VERSION, REGISTER, id, pid, bundle, annotations, null, null, null);
    }

    public static Request stop(String id) {
        return new Request(Protocol.VERSION, STOP, id, null, null, null, null, null, null);
    }

    public static Request status() {
        return new Request(Protocol.VERSION, STATUS, null, null, null, null, null, null, null);
    }

    public static Request hook(String stage, String state) {
        return new Request(Protocol.VERSION, HOOK, null, null, null, null, stage, state, null);
    }

    public static Request patch(String mode, String bundle) {
        return new Request(Protocol.VERSION, PATCH, null, null, bundle, null, null, null, mode);
    }
}
