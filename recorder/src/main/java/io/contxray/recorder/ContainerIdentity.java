package io.contxray.recorder;

/** A recorded container's name and image as the engines told the peer resolver (null while unknown). */
public record ContainerIdentity(String name, String image) {
    public static final ContainerIdentity UNKNOWN = new ContainerIdentity(null, null);
}
