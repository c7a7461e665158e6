package io.contxray.cli;

import io.contxray.model.ContainerId;
import io.contxray.model.RecordingHead.Head;
import io.contxray.model.RecordingHead;
import io.contxray.model.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recording named the way `docker` names containers: its full id, any unique prefix of it, or
 * the container's name (the latest recording of that name; {@code name@N} the N-th latest). Reads
 * only; an unknown or ambiguous reference is an IllegalArgumentException whose message lists the
 * candidates (id, name, image, start), one per line after the first.
 */
final class ContainerRefs {
    private static final Pattern NAME_AT = Pattern.compile("(.+)@([1-9][0-9]{0,5})");

    private final StateDir state;

    /** NAME@N (an image reference such as nginx@sha256:... is not one). */
    static boolean isNameAt(String ref) {
        return NAME_AT.matcher(ref).matches();
    }

    ContainerRefs(StateDir state) {
        this.state = state;
    }

    /** The container directory {@code ref} names (not created, never written). */
    Path resolve(String ref) throws IOException {
        return state.containerPath(resolveId(ref));
    }

    /** The id of the recording {@code ref} names. */
    String resolveId(String ref) throws IOException {
        return find(ref).orElseThrow(() -> new IllegalArgumentException("no recording of container \"" + ref + "\" in "
                + state.root() + " (not a recorded id, id prefix or container name)"));
    }

    /** The id of the recording {@code ref} names; empty when none does; ambiguous: IllegalArgumentException. */
    java.util.Optional<String> find(String ref) throws IOException {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("no container given");
        }
        if (ContainerId.isValid(ref) && Files.isDirectory(state.containerPath(ref), LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.of(ref);
        }
        if (ContainerId.isValid(ref)) {
            List<String> byPrefix = state.containerIds().stream().filter(id -> id.startsWith(ref)).toList();
            if (byPrefix.size() == 1) {
                return java.util.Optional.of(byPrefix.get(0));
            }
            if (byPrefix.size() > 1) {
                throw ambiguous("id prefix \"" + ref + "\" matches " + byPrefix.size() + " recordings", heads(byPrefix));
            }
        }
        Matcher at = NAME_AT.matcher(ref);
        String name = at.matches() ? at.group(1) : ref;
        ContainerId.validate(name); // names are ids' characters too: "../etc" is rejected, not looked up
        int nth = at.matches() ? Integer.parseInt(at.group(2)) : 1;
        List<Head> named = new ArrayList<>();
        for (Head h : heads(state.containerIds())) {
            if (name.equals(h.name()) || name.equals("/" + h.name())) {
                named.add(h);
            }
        }
        named.sort(Comparator.comparing((Head h) -> h.startedAt() == null ? "" : h.startedAt()).reversed());
        if (named.size() >= nth) {
            return java.util.Optional.of(named.get(nth - 1).id());
        }
        if (!named.isEmpty()) {
            throw ambiguous("container " + name + " has " + named.size() + " recording(s), not " + nth, named);
        }
        return java.util.Optional.empty();
    }

    private static IllegalArgumentException ambiguous(String what, List<Head> candidates) {
        StringBuilder b = new StringBuilder(what).append(": say which (full id, a longer prefix, or NAME@N, 1 = the latest)");
        candidates.forEach(h -> b.append("\n  ").append(h.describe()));
        return new IllegalArgumentException(b.toString());
    }

    private List<Head> heads(List<String> ids) {
        return RecordingHead.of(state, ids);
    }
}
