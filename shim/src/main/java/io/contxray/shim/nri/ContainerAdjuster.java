package io.contxray.shim.nri;

import io.contxray.shim.HookEntries;
import io.contxray.shim.PatchException;
import io.contxray.shim.RecordAnnotation;
import io.contxray.shim.RolloutAnnotations;
import io.contxray.shim.nri.proto.NriApi.Container;
import io.contxray.shim.nri.proto.NriApi.ContainerAdjustment;
import io.contxray.shim.nri.proto.NriApi.CreateContainerRequest;
import io.contxray.shim.nri.proto.NriApi.Hook;
import io.contxray.shim.nri.proto.NriApi.Hooks;
import io.contxray.shim.nri.proto.NriApi.OptionalInt;
import io.contxray.shim.nri.proto.NriApi.PodSandbox;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What contxray's NRI plugin does to a container being created. The pod's annotations, overridden
 * by the container's own: {@code contxray.record=true|required} adds contxray's createRuntime and
 * poststop hooks (and the annotation, so the hook's OCI state carries it); nothing else is touched.
 *
 * <p>Rollouts ({@code contxray.mode=complain|enforce}) are refused here: NRI has no field for a
 * container's capabilities, and runtimes with NRI before v0.10 (containerd 1.7 among them) silently
 * drop a seccomp adjustment, so the container would start without the profile it asked for. Such
 * pods run with {@code runtimeClassName: contxray}, whose runtime wrapper applies both; for them
 * (runtime handler {@code wrapperHandler}) the plugin does nothing, since the wrapper also records.
 */
public final class ContainerAdjuster {
    private final String hookBin;
    private final List<String> hookEnv;
    private final String wrapperHandler;

    public ContainerAdjuster(String hookBin, String wrapperHandler) {
        this(hookBin, List.of(), wrapperHandler);
    }

    /**
     * @param hookEnv the hooks' environment, KEY=VALUE; empty: the runtime's own. A runtime gives an
     *                OCI hook exactly the env it lists, so a non-empty one needs PATH too.
     */
    public ContainerAdjuster(String hookBin, List<String> hookEnv, String wrapperHandler) {
        this.hookBin = hookBin;
        this.hookEnv = List.copyOf(hookEnv);
        this.wrapperHandler = wrapperHandler;
    }

    /** Thrown to refuse the container's creation; the runtime reports the message. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The adjustment for {@code request}'s container: empty when contxray has nothing to do. */
    public ContainerAdjustment adjust(CreateContainerRequest request) throws Refused {
        PodSandbox pod = request.getPod();
        Container container = request.getContainer();
        if (!wrapperHandler.isEmpty() && wrapperHandler.equals(pod.getRuntimeHandler())) {
            return ContainerAdjustment.getDefaultInstance();
        }
        Map<String, String> annotations = new HashMap<>(pod.getAnnotationsMap());
        annotations.putAll(container.getAnnotationsMap());
        String what = "container " + container.getName() + " of pod " + pod.getNamespace() + "/" + pod.getName();
        RolloutAnnotations rollout;
        try {
            rollout = RolloutAnnotations.of(annotations);
        } catch (PatchException e) {
            throw new Refused("contxray: " + what + ": " + e.getMessage());
        }
        if (rollout.injects()) {
            throw new Refused("contxray: " + what + ": " + RolloutAnnotations.MODE + "=" + rollout.mode().name().toLowerCase(Locale.ROOT)
                    + " cannot be applied through NRI (no capabilities, no seccomp on this runtime's NRI);"
                    + " run the pod with runtimeClassName: " + (wrapperHandler.isEmpty() ? "contxray" : wrapperHandler));
        }
        String record = annotations.containsKey(RecordAnnotation.NAME)
                ? RecordAnnotation.normalized(annotations.get(RecordAnnotation.NAME)) : null;
        if (!RecordAnnotation.wantsRecording(record)) {
            return ContainerAdjustment.getDefaultInstance();
        }
        Hooks existing = container.getHooks();
        Hooks.Builder hooks = Hooks.newBuilder();
        if (!hasOurs(existing.getCreateRuntimeList(), "createRuntime")) {
            hooks.addCreateRuntime(hook("createRuntime", HookEntries.CREATE_RUNTIME_TIMEOUT_S));
        }
        if (!hasOurs(existing.getPoststopList(), "poststop")) {
            hooks.addPoststop(hook("poststop", HookEntries.POSTSTOP_TIMEOUT_S));
        }
        return ContainerAdjustment.newBuilder().putAnnotations(RecordAnnotation.NAME, record).setHooks(hooks).build();
    }

    private Hook hook(String stage, int timeoutSeconds) {
        return Hook.newBuilder().setPath(hookBin).addAllArgs(HookEntries.args(stage)).addAllEnv(hookEnv)
                .setTimeout(OptionalInt.newBuilder().setValue(timeoutSeconds)).build();
    }

    private static boolean hasOurs(List<Hook> hooks, String stage) {
        return hooks.stream().anyMatch(h -> HookEntries.isOurs(h.getArgsList(), stage));
    }
}
