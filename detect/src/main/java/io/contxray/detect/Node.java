package io.contxray.detect;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on, so that every error in a rule file can name its line
 * (Jackson's tree model drops locations).
 */
sealed interface Node {
    int line();

    /** A mapping; keys in file order, each key's own line in {@link #keyLines}. */
    record MapNode(int line, Map<String, Node> entries, Map<String, Integer> keyLines) implements Node {
    }

    record ListNode(int line, List<Node> items) implements Node {
    }

    /** A scalar as its text (numbers and booleans too: rules compare text); null for YAML null. */
    record Scalar(int line, String text) implements Node {
    }

    static String kind(Node n) {
        return n instanceof MapNode ? "a mapping" : n instanceof ListNode ? "a list" : "a scalar";
    }
}
