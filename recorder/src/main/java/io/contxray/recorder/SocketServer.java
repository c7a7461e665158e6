package io.contxray.recorder;

import io.contxray.model.protocol.LineChannel;
import io.contxray.model.protocol.Protocol;
import io.contxray.model.protocol.ProtocolException;
import io.contxray.model.protocol.Request;
import io.contxray.model.protocol.Response;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import jdk.net.UnixDomainPrincipal;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;

/**
 * The daemon's unix socket: 0600, only root peers (checked with SO_PEERCRED), one request per
 * connection, every read bounded by a timeout so a silent client cannot hold a worker.
 */
public final class SocketServer implements AutoCloseable {
    static final long CLIENT_TIMEOUT_MS = 5_000;

    private final Path path;
    private final Function<Request, Response> handler;
    private final Log log;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "contxray-conn");
        t.setDaemon(true);
        return t;
    });

    public SocketServer(Path path, Function<Request, Response> handler, Log log) throws IOException {
        this.path = path;
        this.handler = handler;
        this.log = log;
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(path); // a stale socket from a killed daemon
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    /** Accepts connections until the channel is closed. */
    public void serve() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("accepting on " + path + ": " + e.getMessage());
                }
                continue;
            }
            workers.execute(() -> handle(ch));
        }
    }

    private void handle(SocketChannel ch) {
        try (ch; LineChannel line = new LineChannel(ch, CLIENT_TIMEOUT_MS)) {
            Response response;
            if (!peerIsRoot(ch)) {
                response = Response.error("permission denied: only root may talk to the contxray recorder");
            } else {
                response = answer(line);
            }
            if (response != null) {
                line.restartDeadline();
                line.send(response, "sending the answer");
            }
        } catch (IOException | LineChannel.TimeoutException e) {
            log.warn("client on " + path + ": " + e.getMessage());
        }
    }

    private Response answer(LineChannel line) throws IOException, LineChannel.TimeoutException {
        byte[] raw;
        try {
            raw = line.receive("reading a request");
        } catch (ProtocolException e) {
            return Response.error(e.getMessage());
        }
        if (raw == null) {
            return null; // peer connected and left (e.g. a liveness probe)
        }
        try {
            return handler.apply(Protocol.decodeRequest(raw));
        } catch (ProtocolException e) {
            return Response.error(e.getMessage());
        }
    }

    private static boolean peerIsRoot(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            return user.equals("root") || user.equals("0");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
        Files.deleteIfExists(path);
    }
}
