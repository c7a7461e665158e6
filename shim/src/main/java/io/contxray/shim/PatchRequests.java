package io.contxray.shim;

import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The daemon's side of {@code contxray-hook patch}: the runtime wrapper's native client asks the
 * already running daemon to patch config.json, so no JVM starts while the container waits. Any
 * refusal sends the wrapper to the Java patcher, which words the error and applies the
 * fail-open/required rule itself.
 */
public final class PatchRequests {
    private final ConfigPatcher patcher;

    public PatchRequests(ConfigPatcher patcher) {
        this.patcher = patcher;
    }

    public Response handle(Request r) {
        PatchMode mode = r.mode() == null ? null : PatchMode.of(r.mode());
        if (mode == null) {
            return Response.error("patch: mode must be annotated or all, got " + r.mode());
        }
        if (r.bundle() == null || !r.bundle().startsWith("/")) {
            return Response.error("patch: bundle must be an absolute path, got " + r.bundle());
        }
        Path config;
        try {
            config = Path.of(r.bundle()).resolve("config.json");
        } catch (InvalidPathException e) { // a NUL in it: the worker would die without answering
            return Response.error("patch: bundle is not a path: " + e.getReason());
        }
        try {
            patcher.patch(config, mode);
            return Response.patched();
        } catch (PatchException e) {
            return Response.error("patching " + config + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Response.error("patching " + config + ": internal error: " + e);
        }
    }
}
