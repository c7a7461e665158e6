package io.contxray.analyzer;

/**
 * What a container's event log gave: the report sections built from it, and the container's own
 * name and image as its engine reported them ({@code self}, null if not logged).
 */
public record FromEvents(Processes processes, Network network, FileActivity files, Capabilities capabilities,
                         Network.Peer self) {
}
