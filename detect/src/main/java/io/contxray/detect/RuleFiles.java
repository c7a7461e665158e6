package io.contxray.detect;

import io.contxray.model.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads the rules in force: the built-in defaults ({@value #DEFAULTS}, in this jar), then each
 * {@code *.yaml} of the user's directory (default {@value #DEFAULT_DIR}) in name order. All or
 * nothing: any broken file fails the whole load with its one-line error, so the caller keeps the
 * rules it had.
 */
public final class RuleFiles {
    public static final String DEFAULTS = "default-rules.yaml";
    public static final Path DEFAULT_DIR = Path.of("/etc/contxray/rules.d");
    public static final String DIR_ENV = "CONTXRAY_RULES_DIR";

    private RuleFiles() {
    }

    /** The user's rules directory: $CONTXRAY_RULES_DIR or {@link #DEFAULT_DIR}. */
    public static Path dirFromEnvironment() {
        String v = System.getenv(DIR_ENV);
        return v == null || v.isBlank() ? DEFAULT_DIR : Path.of(v);
    }

    /** The defaults alone. */
    public static RuleSet defaults() {
        try {
            return RuleSet.merge(List.of(defaultRules()), List.of(DEFAULTS));
        } catch (RuleException e) {
            throw new IllegalStateException("the built-in rules do not load: " + e.getMessage(), e);
        }
    }

    /** Defaults plus the directory's files (a missing directory holds none). */
    public static RuleSet load(Path dir) throws RuleException {
        List<List<Rule>> files = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        files.add(defaultRules());
        sources.add(DEFAULTS);
        for (Path f : yamlFiles(dir)) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new RuleException(f + ":1: reading: " + Errors.oneLine(e));
            }
            files.add(RuleParser.parse(text, f.toString()));
            sources.add(f.toString());
        }
        return RuleSet.merge(files, sources);
    }

    static List<Rule> defaultRules() throws RuleException {
        try (InputStream in = RuleFiles.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new RuleException(DEFAULTS + ":1: missing from the jar");
            }
            return RuleParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS);
        } catch (IOException e) {
            throw new RuleException(DEFAULTS + ":1: reading: " + Errors.oneLine(e));
        }
    }

    private static List<Path> yamlFiles(Path dir) throws RuleException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith(".");
            }).sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw new RuleException(dir + ":1: listing: " + Errors.oneLine(e));
        }
    }
}
