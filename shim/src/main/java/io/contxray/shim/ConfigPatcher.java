package io.contxray.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.contxray.analyzer.Analyzer;
import io.contxray.analyzer.CapabilitiesFile;
import io.contxray.analyzer.ProfileStore;
import io.contxray.analyzer.SeccompProfile;
import io.contxray.model.AtomicFiles;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Adds contxray's createRuntime and poststop hooks to a bundle's config.json when the container
 * is to be recorded. Every other field keeps its value and position; hooks already there (Docker's
 * own prestart hook, other tools') stay first; ours are added once. The file is replaced
 * atomically with its original permissions, or left as it was.
 */
public final class ConfigPatcher {
    public static final String HOOK_BIN_ENV = "CONTXRAY_HOOK_BIN";
    /** The native client (hook/src/main/c), which hands over to the Java hook on anything but success. */
    public static final String DEFAULT_HOOK_BIN = "/usr/local/lib/contxray/contxray-hook";

    /** What {@link #patch} did. */
    public enum Outcome {
        /** Our hooks were added. */
        PATCHED,
        /** Both hooks were there already; the file was not written. */
        ALREADY_PATCHED,
        /** The container is not to be recorded; the file was not written. */
        NOT_REQUESTED
    }

    /** complain mode: outside the profile is allowed and logged; the recorder lists it as violations. */
    static final String COMPLAIN_ACTION = "SCMP_ACT_LOG";

    private static final ObjectMapper MAPPER = LosslessJson.MAPPER;

    /** CRI's annotation with the image a container runs (Kubernetes through containerd or CRI-O). */
    static final String CRI_IMAGE = "io.kubernetes.cri.image-name";

    private final String hookBin;
    private final HookEntries entries;
    private final ProfileStore profiles;
    private final Path policyFile;
    private final ImageLookup images;

    /** Without a rollout policy. */
    public ConfigPatcher(String hookBin, ProfileStore profiles) {
        this(hookBin, profiles, null, ImageLookup.NONE);
    }

    /**
     * @param policyFile the host's rollout policy (read at every patch, so edits apply to the next
     *                   container), or null for none
     * @param images     asks the engine which image a container runs, for the policy
     */
    public ConfigPatcher(String hookBin, ProfileStore profiles, Path policyFile, ImageLookup images) {
        this.hookBin = hookBin;
        this.entries = new HookEntries(hookBin);
        this.profiles = profiles;
        this.policyFile = policyFile;
        this.images = images;
    }

    /** The same patcher, asking {@code lookup} for images. */
    public ConfigPatcher withImages(ImageLookup lookup) {
        return new ConfigPatcher(hookBin, profiles, policyFile, lookup);
    }

    /** Hook binary from $CONTXRAY_HOOK_BIN, else {@link #DEFAULT_HOOK_BIN}; profiles from $CONTXRAY_STATE_DIR. */
    public static ConfigPatcher fromEnvironment(Map<String, String> env) {
        String bin = env.get(HOOK_BIN_ENV);
        return new ConfigPatcher(bin == null || bin.isBlank() ? DEFAULT_HOOK_BIN : bin,
                ProfileStore.of(StateDir.fromEnvironment(env)), RolloutPolicy.file(env), ImageLookup.NONE);
    }

    /**
     * A pod's sandbox (pause) container, as containerd's CRI and CRI-O mark it. Allow-listed pod
     * annotations reach it too, but it is the runtime's, not the workload's: never recorded, never
     * given the workload's profile.
     */
    static boolean isPodSandbox(JsonNode config) {
        JsonNode ann = config.path("annotations");
        return "sandbox".equals(ann.path("io.kubernetes.cri.container-type").asText())
                || "sandbox".equals(ann.path("io.kubernetes.cri-o.ContainerType").asText());
    }

    /** Patches {@code config} if {@code mode} or its annotation asks for recording. */
    public Outcome patch(Path config, PatchMode mode) throws PatchException {
        Path dir = config.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new PatchException("bundle directory " + dir + " does not exist", false, null);
        }
        String raw;
        try {
            raw = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PatchException("no such file", false, e);
        } catch (IOException e) {
            throw new PatchException("reading: " + describe(e), false, e);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new PatchException("not valid JSON: " + firstLine(e.getOriginalMessage()), mustNotRunUnpatched(raw), e);
        } catch (NumberFormatException e) {
            // Jackson's number limits (an exponent past an int): unchecked, and a `required` container must not run unpatched
            throw new PatchException("not valid JSON: " + firstLine(e.getMessage()), mustNotRunUnpatched(raw), e);
        }
        if (!(tree instanceof ObjectNode root)) {
            throw new PatchException("not a JSON object", mustNotRunUnpatched(raw), null);
        }
        if (isPodSandbox(root)) {
            return Outcome.NOT_REQUESTED;
        }
        RolloutAnnotations rollout = RolloutAnnotations.of(root);
        boolean byPolicy = false;
        if (!RolloutAnnotations.present(root)) {
            Optional<RolloutAnnotations> rule = fromPolicy(root, dir);
            byPolicy = rule.isPresent();
            rollout = rule.orElse(rollout);
        }
        // a container whose profile cannot be applied must not run without it
        boolean required = RecordAnnotation.required(root) || rollout.injects();
        boolean record = mode == PatchMode.ALL || RecordAnnotation.wantsRecording(root)
                || rollout.mode() == RolloutAnnotations.Mode.COMPLAIN
                || byPolicy && rollout.mode() == RolloutAnnotations.Mode.RECORD;
        if (!record && !rollout.injects()) {
            return Outcome.NOT_REQUESTED;
        }
        boolean changed = false;
        if (rollout.injects()) {
            changed = injectProfile(root, rollout);
        }
        if (record) {
            changed |= add(root, "createRuntime", HookEntries.CREATE_RUNTIME_TIMEOUT_S, required);
            changed |= add(root, "poststop", HookEntries.POSTSTOP_TIMEOUT_S, required);
        }
        if (!changed) {
            return Outcome.ALREADY_PATCHED;
        }
        write(config, root, required);
        return Outcome.PATCHED;
    }

    /** The policy's rule for the container's image, if the host has a policy and a rule matches. */
    private Optional<RolloutAnnotations> fromPolicy(JsonNode root, Path bundle) throws PatchException {
        if (policyFile == null) {
            return Optional.empty();
        }
        RolloutPolicy policy = RolloutPolicy.load(policyFile);
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        String image = root.path("annotations").path(CRI_IMAGE).asText(null);
        if (image == null) {
            Path id = bundle.getFileName(); // the engines name a bundle directory after its container
            image = id == null ? null : images.image(id.toString());
        }
        return policy.match(image).map(r -> new RolloutAnnotations(r.mode(), r.profile()));
    }

    private static boolean mustNotRunUnpatched(String raw) {
        return RecordAnnotation.requiredInText(raw) || RolloutAnnotations.rolloutInText(raw);
    }

    /**
     * Replaces linux.seccomp with the named profile (complain: its default action becomes
     * SCMP_ACT_LOG, so what it does not allow runs and is logged). True when it changed the tree.
     */
    private boolean injectProfile(ObjectNode root, RolloutAnnotations rollout) throws PatchException {
        SeccompProfile p;
        try {
            p = profiles.load(rollout.profile());
        } catch (IOException | IllegalArgumentException e) {
            throw PatchException.rollout(RolloutAnnotations.PROFILE + "=" + rollout.profile() + ": " + firstLine(e.getMessage()), e);
        }
        if (rollout.mode() == RolloutAnnotations.Mode.COMPLAIN) {
            p = new SeccompProfile(COMPLAIN_ACTION, p.defaultErrnoRet(), p.architectures(), p.syscalls());
        }
        JsonNode linux = root.get("linux");
        if (linux == null || linux.isNull()) {
            linux = root.putObject("linux");
        } else if (!linux.isObject()) {
            throw PatchException.rollout("\"linux\" is not an object", null);
        }
        JsonNode seccomp = MAPPER.valueToTree(p);
        boolean changed = false;
        if (!seccomp.equals(linux.get("seccomp"))) {
            ((ObjectNode) linux).set("seccomp", seccomp);
            changed = true;
        }
        if (rollout.mode() == RolloutAnnotations.Mode.ENFORCE) {
            changed |= injectCapabilities(root, rollout.profile());
        }
        return changed;
    }

    /**
     * enforce: the process gets exactly the profile's capability set (bounding, effective,
     * permitted; inheritable and ambient keep only what is in it). A profile without a
     * capabilities.json leaves them as the engine set them.
     */
    private boolean injectCapabilities(ObjectNode root, String profile) throws PatchException {
        Optional<CapabilitiesFile> caps;
        try {
            caps = profiles.capabilities(profile);
        } catch (IOException | IllegalArgumentException e) {
            throw PatchException.rollout(RolloutAnnotations.PROFILE + "=" + profile + ": " + firstLine(e.getMessage()), e);
        }
        if (caps.isEmpty()) {
            return false;
        }
        JsonNode process = root.get("process");
        if (process == null || !process.isObject()) {
            throw PatchException.rollout("\"process\" is missing or not an object", null);
        }
        Set<String> set = new TreeSet<>(caps.get().ociCapabilities());
        JsonNode before = process.get("capabilities");
        ObjectNode after = MAPPER.createObjectNode();
        for (String kind : List.of("bounding", "effective", "permitted")) {
            set.forEach(after.withArray(kind)::add);
        }
        for (String kind : List.of("inheritable", "ambient")) {
            if (before != null && before.get(kind) != null && before.get(kind).isArray()) {
                ArrayNode kept = after.putArray(kind);
                before.get(kind).forEach(c -> {
                    if (set.contains(c.asText())) {
                        kept.add(c.asText());
                    }
                });
            }
        }
        if (after.equals(before)) {
            return false;
        }
        ((ObjectNode) process).set("capabilities", after);
        return true;
    }

    /** Appends our hook for {@code stage} unless present; true when it changed the tree. */
    private boolean add(ObjectNode root, String stage, int timeout, boolean required) throws PatchException {
        JsonNode hooks = root.get("hooks");
        if (hooks == null || hooks.isNull()) {
            hooks = root.putObject("hooks");
        } else if (!hooks.isObject()) {
            throw new PatchException("\"hooks\" is not an object", required, null);
        }
        ObjectNode hooksObject = (ObjectNode) hooks;
        JsonNode list = hooksObject.get(stage);
        if (list == null || list.isNull()) {
            list = hooksObject.putArray(stage);
        } else if (!list.isArray()) {
            throw new PatchException("\"hooks." + stage + "\" is not an array", required, null);
        }
        ArrayNode array = (ArrayNode) list;
        if (HookEntries.containsOurs(array, stage)) {
            return false;
        }
        array.add(entries.entry(stage, timeout));
        return true;
    }

    private static void write(Path config, ObjectNode root, boolean required) throws PatchException {
        try {
            AtomicFiles.writeKeepingMode(config, MAPPER.writeValueAsBytes(root), Analyzer.FILE_PERMS);
        } catch (IOException e) {
            // AtomicFiles names the file and leaves the old one in place.
            throw new PatchException(describe(e), required, e);
        }
    }

    private static String describe(Exception e) {
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : firstLine(msg);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
