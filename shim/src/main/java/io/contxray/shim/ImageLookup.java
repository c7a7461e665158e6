package io.contxray.shim;

/**
 * Which image a container runs, asked of its engine (the OCI config does not say), for the
 * rollout policy. Null when the engine does not know the container or cannot be asked.
 */
@FunctionalInterface
public interface ImageLookup {
    ImageLookup NONE = containerId -> null;

    String image(String containerId);
}
