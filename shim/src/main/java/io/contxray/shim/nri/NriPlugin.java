package io.contxray.shim.nri;

import com.google.protobuf.InvalidProtocolBufferException;
import io.contxray.shim.nri.proto.NriApi.ConfigureRequest;
import io.contxray.shim.nri.proto.NriApi.ConfigureResponse;
import io.contxray.shim.nri.proto.NriApi.ContainerAdjustment;
import io.contxray.shim.nri.proto.NriApi.CreateContainerRequest;
import io.contxray.shim.nri.proto.NriApi.CreateContainerResponse;
import io.contxray.shim.nri.proto.NriApi.Empty;
import io.contxray.shim.nri.proto.NriApi.Event;
import io.contxray.shim.nri.proto.NriApi.RegisterPluginRequest;
import io.contxray.shim.nri.proto.NriApi.SynchronizeRequest;
import io.contxray.shim.nri.proto.NriApi.SynchronizeResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * contxray's NRI plugin: registers under a name and index, subscribes to container creation only,
 * and answers each CreateContainer with {@link ContainerAdjuster}'s adjustment. One line on
 * {@code log} for every container it changes or refuses.
 */
public final class NriPlugin implements NriSession.Handler {
    public static final String PLUGIN_SERVICE = "nri.pkg.api.v1alpha1.Plugin";
    public static final String RUNTIME_SERVICE = "nri.pkg.api.v1alpha1.Runtime";
    /** NRI's default registration timeout. */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(5);

    private final ContainerAdjuster adjuster;
    private final PrintStream log;
    private final AtomicBoolean shutdown = new AtomicBoolean();

    public NriPlugin(ContainerAdjuster adjuster, PrintStream log) {
        this.adjuster = adjuster;
        this.log = log;
    }

    /**
     * Registers on a started session. The runtime calls Configure before it answers (so the reader
     * thread must be serving by then), and Synchronize after.
     */
    public void register(NriSession session, String name, String index) throws IOException, CallException {
        session.call(RUNTIME_SERVICE, "RegisterPlugin",
                RegisterPluginRequest.newBuilder().setPluginName(name).setPluginIdx(index).build(), REGISTRATION_TIMEOUT);
    }

    /** Whether the runtime said it is shutting down. */
    public boolean shutdown() {
        return shutdown.get();
    }

    /** The Configure answer's event mask: bit (event - 1) for each event wanted. */
    static int eventMask(Event... events) {
        int mask = 0;
        for (Event e : events) {
            mask |= 1 << (e.getNumber() - 1);
        }
        return mask;
    }

    @Override
    public byte[] handle(String service, String method, byte[] payload) throws CallException {
        if (!PLUGIN_SERVICE.equals(service)) {
            throw new CallException(CallException.UNIMPLEMENTED, "service " + service + " is not served by contxray's NRI plugin");
        }
        try {
            return switch (method) {
                case "Configure" -> {
                    ConfigureRequest req = ConfigureRequest.parseFrom(payload);
                    log.println("contxray nri: configured by " + req.getRuntimeName() + " " + req.getRuntimeVersion());
                    yield ConfigureResponse.newBuilder().setEvents(eventMask(Event.CREATE_CONTAINER)).build().toByteArray();
                }
                case "Synchronize" -> SynchronizeResponse.newBuilder()
                        .setMore(SynchronizeRequest.parseFrom(payload).getMore()).build().toByteArray();
                case "CreateContainer" -> createContainer(CreateContainerRequest.parseFrom(payload)).toByteArray();
                case "Shutdown" -> {
                    shutdown.set(true);
                    yield Empty.getDefaultInstance().toByteArray();
                }
                case "StateChange" -> Empty.getDefaultInstance().toByteArray();
                default -> throw new CallException(CallException.UNIMPLEMENTED, method + " is not implemented by contxray's NRI plugin");
            };
        } catch (InvalidProtocolBufferException e) {
            throw new CallException(CallException.INVALID_ARGUMENT, method + ": unreadable request: " + e.getMessage());
        }
    }

    private CreateContainerResponse createContainer(CreateContainerRequest req) throws CallException {
        String who = req.getContainer().getName() + " (" + req.getContainer().getId() + ") of pod "
                + req.getPod().getNamespace() + "/" + req.getPod().getName();
        try {
            ContainerAdjustment adjust = adjuster.adjust(req);
            if (adjust.hasHooks()) {
                log.println("contxray nri: recording container " + who);
            }
            return CreateContainerResponse.newBuilder().setAdjust(adjust).build();
        } catch (ContainerAdjuster.Refused e) {
            log.println("contxray nri: refused " + req.getContainer().getId() + ": " + e.getMessage());
            throw new CallException(CallException.FAILED_PRECONDITION, e.getMessage());
        }
    }
}
