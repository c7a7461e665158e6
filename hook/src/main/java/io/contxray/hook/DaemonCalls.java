package io.contxray.hook;

import io.contxray.model.protocol.DaemonClient;
import io.contxray.model.protocol.DaemonException;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.time.Duration;

/** One daemon request that must be answered ok; a refusal becomes an exception like any other failure. */
final class DaemonCalls {
    private DaemonCalls() {
    }

    /**
     * Sends {@code request} unless the native client (contxray-hook) already found the daemon
     * unreachable: then its reason stands, so a silent daemon is not waited for twice.
     */
    static Response expectOk(HookSettings settings, Duration timeout, Request request) throws DaemonException {
        if (settings.priorFailure() != null) {
            throw new DaemonException(settings.priorFailure(), false);
        }
        Response response = new DaemonClient(settings.socket(), timeout).call(request);
        if (!response.ok()) {
            String why = response.error() == null || response.error().isBlank() ? "no reason given" : response.error();
            throw new DaemonException("recorder daemon refused " + request.op() + ": " + why, false);
        }
        return response;
    }
}
