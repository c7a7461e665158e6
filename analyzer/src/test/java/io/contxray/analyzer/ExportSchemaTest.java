package io.contxray.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.contxray.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The exported profiles against the formats' own JSON schemas, as Debian packages them (installed
 * by install/deps.sh): the OCI runtime-spec's config schema (golang-github-opencontainers-specs-dev;
 * Docker's --security-opt seccomp= file is the OCI linux.seccomp object) and the compose-spec schema
 * shipped in Debian's docker-compose. Each check also feeds a broken document, so it can fail.
 * (The Kubernetes pod snippet is checked against Kubernetes' schemas by test/bats/96; the Security
 * Profiles Operator's CRD schema is in no registry reachable here.)
 */
class ExportSchemaTest {
    static final Path OCI_SCHEMA = Path.of(System.getenv().getOrDefault("CONTXRAY_OCI_SCHEMA_DIR",
            "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema"), "config-schema.json");
    static final Path COMPOSE_SCHEMA = Path.of(System.getenv().getOrDefault("CONTXRAY_TEST_CACHE", "/var/cache/contxray-test"),
            "schemas", "compose_spec.json");

    static JsonSchema schema(Path file, SpecVersion.VersionFlag version, JsonMetaSchema meta) {
        assertTrue(Files.isRegularFile(file), file + " is missing: install/deps.sh installs the schemas");
        return JsonSchemaFactory.getInstance(version, b -> b.metaSchema(meta))
                .getSchema(SchemaLocation.of(file.toUri().toString()));
    }

    static JsonSchema oci() {
        return schema(OCI_SCHEMA, SpecVersion.VersionFlag.V4, JsonMetaSchema.getV4());
    }

    /** Debian's compose-spec file carries a draft-04 "id" beside its 2019-09 "$schema": read as an annotation. */
    static JsonSchema compose() {
        return schema(COMPOSE_SCHEMA, SpecVersion.VersionFlag.V201909,
                JsonMetaSchema.builder(JsonMetaSchema.getV201909()).keyword(new NonValidationKeyword("id")).build());
    }

    static final SeccompProfile PROFILE = new SeccompProfile(SeccompRule.ERRNO, SeccompProfile.EPERM,
            List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
            List.of(SeccompRule.allow(List.of("read", "write", "exit_group")), SeccompRule.errno(List.of("clone3"), 38)));

    /** A minimal OCI config carrying {@code seccomp} as its linux.seccomp. */
    static ObjectNode ociConfig(JsonNode seccomp) {
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("ociVersion", "1.0.2");
        config.putObject("linux").set("seccomp", seccomp);
        return config;
    }

    @Test
    void theDockerAndOciProfileIsAValidLinuxSeccompObject() throws Exception {
        JsonSchema oci = oci();
        JsonNode profile = Json.mapper().readTree(Json.mapper().writeValueAsString(PROFILE));
        assertEquals(Set.of(), oci.validate(ociConfig(profile)));
        // complain mode: the same profile with SCMP_ACT_LOG by default
        ObjectNode complain = profile.deepCopy();
        complain.put("defaultAction", "SCMP_ACT_LOG");
        assertEquals(Set.of(), oci.validate(ociConfig(complain)));

        ObjectNode broken = profile.deepCopy();
        broken.put("defaultAction", "SCMP_ACT_MAYBE");
        ((ObjectNode) broken.get("syscalls").get(1)).put("errnoRet", -1);
        Set<ValidationMessage> errors = oci.validate(ociConfig(broken));
        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().anyMatch(m -> m.getInstanceLocation().toString().contains("defaultAction")), errors.toString());
        assertTrue(errors.stream().anyMatch(m -> m.getInstanceLocation().toString().contains("errnoRet")), errors.toString());
    }

    @Test
    void theOperatorsSeccompProfileSpecIsAValidLinuxSeccompObjectToo() {
        // the operator's spec takes the OCI seccomp fields (its own CRD schema is in no registry here)
        ObjectNode k = ProfileExport.kubernetes(PROFILE, "web", "shop");
        assertEquals(Set.of(), oci().validate(ociConfig(k.get("spec"))));
    }

    @Test
    void theComposeFragmentFitsAComposeService() {
        JsonSchema compose = compose();
        Optional<CapabilitiesFile> caps = Optional.of(CapabilitiesFile.of(null, null, "t",
                new TreeMap<>(Map.of("NET_BIND_SERVICE", new CapabilitiesFile.Detail("t", 1L, List.of())))));
        for (Optional<CapabilitiesFile> c : List.of(Optional.<CapabilitiesFile>empty(), caps)) {
            ObjectNode service = ProfileExport.compose("/var/lib/contxray/profiles/web/seccomp.json", c);
            service.put("image", "nginx");
            assertEquals(Set.of(), compose.validate(document(service)));
        }
        ObjectNode broken = ProfileExport.compose("/p/seccomp.json", caps);
        broken.set("cap_remove", broken.remove("cap_drop"));
        assertFalse(compose.validate(document(broken)).isEmpty(), "a key compose does not know fails");
    }

    static ObjectNode document(ObjectNode service) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putObject("services").set("web", service);
        return doc;
    }
}
