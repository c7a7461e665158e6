package io.contxray.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one JSON configuration for contxray's own files: unknown properties are ignored when
 * reading (newer files stay readable), map entries are sorted by key so output is stable, and
 * time stamps are plain ISO-8601 strings (no jackson-datatype modules needed).
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /** The shared mapper. Do not reconfigure it; use {@code mapper().copy()} for local changes. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty-printed UTF-8 JSON with a trailing newline. */
    public static byte[] prettyBytes(Object value) throws IOException {
        return (PRETTY.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static String pretty(Object value) throws IOException {
        return PRETTY.writeValueAsString(value);
    }

    /** Reads {@code file} as {@code type}; errors name the file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(Files.readAllBytes(file), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("reading " + file + ": " + Errors.oneLine(e), e);
        }
    }
}
