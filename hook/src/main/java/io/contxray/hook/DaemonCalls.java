package io.contxray.hook;

import io.contxray.model.protocol.DaemonClient;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.nio.file.Path;
import java.time.Duration;

/** One daemon request that must be answered ok; a refusal becomes an exception like any other failure. */
final class DaemonCalls {
    private DaemonCalls() {
    }

    static Response expectOk(Path socket, Duration timeout, Request request) throws DaemonException {
        Response response = new DaemonClient(socket, timeout).call(request);
        if (!response.ok()) {
            String why = response.error() == null || response.error().isBlank() ? "no reason given" : response.error();
            throw new DaemonException("recorder daemon refused " + request.op() + ": " + why, false);
        }
        return response;
    }
}
