package io.contxray.shim;

/**
 * Patching config.json failed (the file is unchanged). {@code required} says whether the
 * container asked to be recorded or refused: then it must not run unrecorded.
 */
public class PatchException extends Exception {
    private final boolean required;

    public PatchException(String message, boolean required, Throwable cause) {
        super(message, cause);
        this.required = required;
    }

    public boolean required() {
        return required;
    }
}
