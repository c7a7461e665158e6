package io.contxray.hook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the OCI state with jackson's streaming parser only (no data binding: this runs while
 * the container waits). Unknown fields are skipped; a duplicated key or trailing content is
 * refused, since the state is supposed to come from the runtime verbatim.
 */
final class OciStateParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private OciStateParser() {
    }

    /** The state in {@code json}; requires an {@code id}, checks types of the other fields. */
    static OciState parse(byte[] json) throws HookException {
        if (isBlank(json)) {
            throw new HookException("empty input");
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HookException("expected a JSON object");
            }
            String ociVersion = null;
            String id = null;
            String status = null;
            Integer pid = null;
            String bundle = null;
            Map<String, String> annotations = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "ociVersion" -> ociVersion = string(p, name);
                    case "id" -> id = string(p, name);
                    case "status" -> status = string(p, name);
                    case "pid" -> pid = pid(p);
                    case "bundle" -> bundle = string(p, name);
                    case "annotations" -> annotations = annotations(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new HookException("unexpected content after the state object");
            }
            if (id == null) {
                throw new HookException("state has no id");
            }
            return new OciState(ociVersion, id, status, pid, bundle, annotations);
        } catch (JsonProcessingException e) {
            throw new HookException("malformed JSON: " + OneLine.of(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new HookException("parsing: " + OneLine.of(e.getMessage()));
        }
    }

    private static String string(JsonParser p, String name) throws IOException, HookException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw new HookException(name + " is not a string");
        };
    }

    private static Integer pid(JsonParser p) throws IOException, HookException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new HookException("pid is not a 32-bit integer");
        }
        return p.getIntValue();
    }

    private static Map<String, String> annotations(JsonParser p) throws IOException, HookException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new HookException("annotations is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new HookException("annotation " + key + " is not a string");
            }
            out.put(key, p.getText());
        }
        return out;
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
