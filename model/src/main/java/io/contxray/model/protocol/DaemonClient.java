package io.contxray.model.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** One request/response exchange with the daemon, bounded by a deadline for the whole call. */
public final class DaemonClient {
    private final Path socket;
    private final Duration timeout;

    public DaemonClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Response call(Request request) throws DaemonException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new DaemonException("recorder daemon not reachable at " + socket + ": " + e.getMessage(), true);
            }
            try (LineChannel line = new LineChannel(ch, timeout.toMillis())) {
                line.send(request, "sending " + request.op());
                byte[] answer = line.receive("waiting for the answer to " + request.op());
                if (answer == null) {
                    throw new DaemonException("recorder daemon at " + socket + " closed the connection without answering "
                            + request.op(), false);
                }
                return Protocol.decodeResponse(answer);
            }
        } catch (LineChannel.TimeoutException e) {
            throw new DaemonException(e.getMessage() + " (recorder daemon at " + socket + " is not answering)", false);
        } catch (ProtocolException e) {
            throw new DaemonException("recorder daemon at " + socket + ": " + e.getMessage(), false);
        } catch (IOException e) {
            throw new DaemonException("talking to recorder daemon at " + socket + ": " + e.getMessage(), false);
        }
    }
}
