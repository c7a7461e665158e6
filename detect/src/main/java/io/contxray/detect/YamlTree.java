package io.contxray.detect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.contxray.model.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one YAML document into {@link Node}s with their lines, with Jackson's YAML streaming
 * parser. Refuses duplicate keys, more than one document, nesting deeper than {@link #MAX_DEPTH}
 * and anything past {@link #MAX_CHARS}; every failure is a {@link RuleException} (input from
 * users and fuzzers never escapes as another exception).
 */
final class YamlTree {
    static final int MAX_DEPTH = 64;
    static final int MAX_CHARS = 1 << 20;
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;

    private YamlTree(String source) {
        this.source = source;
    }

    /** The document in text, or null for an empty one; {@code source} names it in errors. */
    static Node read(String text, String source) throws RuleException {
        if (text.length() > MAX_CHARS) {
            throw new RuleException(source + ":1: longer than " + MAX_CHARS + " characters");
        }
        YamlTree tree = new YamlTree(source);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Node root = tree.value(p, first, 0);
            JsonToken next = p.nextToken();
            if (next != null) {
                throw tree.error(p, "more than one YAML document");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            String why = e.getOriginalMessage() == null ? "not YAML" : e.getOriginalMessage().replaceAll("\\s+", " ").trim();
            throw new RuleException(source + ":" + line + ": " + why);
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some malformed input as its own runtime exceptions
            throw new RuleException(source + ":1: not YAML: " + Errors.oneLine(e));
        }
    }

    private Node value(JsonParser p, JsonToken t, int depth) throws IOException, RuleException {
        if (depth > MAX_DEPTH) {
            throw error(p, "nested deeper than " + MAX_DEPTH + " levels");
        }
        int line = line(p);
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (entries.containsKey(key)) {
                        throw error(p, "duplicate key \"" + key + "\"");
                    }
                    Node v = value(p, p.nextToken(), depth + 1);
                    entries.put(key, v);
                    keyLines.put(key, keyLine);
                }
                return new Node.MapNode(line, entries, keyLines);
            }
            case START_ARRAY -> {
                ArrayList<Node> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(value(p, i, depth + 1));
                }
                return new Node.ListNode(line, items);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(line, null);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Node.Scalar(line, p.getText());
            }
            default -> throw error(p, "unexpected " + t);
        }
    }

    private static int line(JsonParser p) {
        int n = p.currentTokenLocation().getLineNr();
        return n < 1 ? 1 : n;
    }

    private RuleException error(JsonParser p, String what) {
        return new RuleException(source + ":" + line(p) + ": " + what);
    }
}
