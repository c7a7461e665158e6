package io.contxray.analyzer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forms users deploy a profile in. JSON throughout: it is valid YAML, so kubectl and
 * docker compose read it as it is.
 */
public final class ProfileExport {
    /** Kubernetes object names (DNS-1123 subdomain). */
    private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProfileExport() {
    }

    public static void checkName(String name) {
        if (name == null || !K8S_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile name \"" + name + "\" is not a Kubernetes object name "
                    + "(lowercase letters, digits, '-' and '.', at most 253, starting and ending alphanumeric)");
        }
    }

    /** A Security Profiles Operator SeccompProfile (security-profiles-operator.x-k8s.io/v1beta1). */
    public static ObjectNode kubernetes(SeccompProfile p, String name, String namespace) {
        checkName(name);
        ObjectNode o = F.objectNode();
        o.put("apiVersion", "security-profiles-operator.x-k8s.io/v1beta1");
        o.put("kind", "SeccompProfile");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            checkName(namespace);
            meta.put("namespace", namespace);
        }
        meta.putObject("annotations").put("contxray.io/generated-by", "contxray");
        ObjectNode spec = o.putObject("spec");
        spec.put("defaultAction", p.defaultAction());
        ArrayNode archs = spec.putArray("architectures");
        p.architectures().forEach(archs::add);
        ArrayNode rules = spec.putArray("syscalls");
        for (SeccompRule r : p.syscalls()) {
            ObjectNode rule = rules.addObject();
            rule.put("action", r.action());
            if (r.errnoRet() != null) {
                rule.put("errnoRet", r.errnoRet());
            }
            ArrayNode names = rule.putArray("names");
            r.names().forEach(names::add);
            if (r.args() != null) {
                rule.set("args", io.contxray.model.Json.mapper().valueToTree(r.args())); // index, value (uint64), op
            }
        }
        return o;
    }

    /**
     * A securityContext using the profile the operator installs for {@link #kubernetes}: the
     * kubelet finds it as {@code operator/<namespace>/<name>.json} under its seccomp root. With a
     * capability set it also drops ALL and adds the set, which Kubernetes allows only in a
     * container's securityContext (without one it fits a pod's too).
     */
    public static ObjectNode securityContext(String name, String namespace, Optional<CapabilitiesFile> caps) {
        checkName(name);
        checkName(namespace);
        ObjectNode o = F.objectNode();
        ObjectNode context = o.putObject("securityContext");
        ObjectNode profile = context.putObject("seccompProfile");
        profile.put("type", "Localhost");
        profile.put("localhostProfile", "operator/" + namespace + "/" + name + ".json");
        caps.ifPresent(c -> {
            ObjectNode capabilities = context.putObject("capabilities");
            capabilities.putArray("drop").add("ALL");
            ArrayNode add = capabilities.putArray("add");
            c.add().forEach(add::add);
        });
        return o;
    }

    /** A docker-compose service fragment pointing at the profile file on the host, with its capability set if any. */
    public static ObjectNode compose(String profilePath, Optional<CapabilitiesFile> caps) {
        ObjectNode o = F.objectNode();
        o.putArray("security_opt").add("seccomp=" + profilePath);
        caps.ifPresent(c -> {
            o.putArray("cap_drop").add("ALL");
            ArrayNode add = o.putArray("cap_add");
            c.add().forEach(add::add);
        });
        return o;
    }
}
