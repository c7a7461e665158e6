package io.contxray.hook;

import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The daemon's side of the native hook client (contxray-hook): its request carries the OCI state
 * as the runtime wrote it; this parses and checks it exactly as the Java hook does and turns it
 * into the register or stop request the recorder serves. A refusal makes the client hand over to
 * the Java hook, which words the error and applies the fail-open/required rule.
 */
public final class HookRequests {
    private HookRequests() {
    }

    public static Response handle(Request r, Function<Request, Response> recorder) {
        HookStage stage = r.stage() == null ? null : HookStage.of(r.stage());
        if (stage == null) {
            return Response.error("hook: unknown stage " + r.stage());
        }
        if (r.state() == null) {
            return Response.error("hook " + stage.argument() + ": no state");
        }
        OciState state;
        try {
            state = HookMain.validState(r.state().getBytes(StandardCharsets.UTF_8), stage);
        } catch (HookException e) {
            return Response.error("hook " + stage.argument() + ": OCI state: " + e.getMessage());
        }
        return recorder.apply(stage.registers()
                ? Request.register(state.id(), state.pid(), state.bundle(), state.annotations())
                : Request.stop(state.id()));
    }
}
