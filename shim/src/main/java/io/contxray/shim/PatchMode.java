package io.contxray.shim;

/** Which containers the wrapper records: those that ask for it by annotation, or every one. */
public enum PatchMode {
    /** {@code contxray-runc}: containers annotated {@code contxray.record=true|required}. */
    ANNOTATED,
    /** {@code contxray-record}: every container created through this runtime. */
    ALL;

    /** "annotated" or "all", else null. */
    public static PatchMode of(String name) {
        return switch (name) {
            case "annotated" -> ANNOTATED;
            case "all" -> ALL;
            default -> null;
        };
    }
}
