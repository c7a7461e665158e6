package io.contxray.shim;

/**
 * Patching config.json failed (the file is unchanged). {@code required} says whether the
 * container asked to be recorded or refused: then it must not run unrecorded.
 */
public class PatchException extends Exception {
    private final boolean required;
    private final boolean rollout;

    public PatchException(String message, boolean required, Throwable cause) {
        this(message, required, false, cause);
    }

    private PatchException(String message, boolean required, boolean rollout, Throwable cause) {
        super(message, cause);
        this.required = required;
        this.rollout = rollout;
    }

    /** The container's profile (contxray.mode/contxray.profile) cannot be applied: it must not run. */
    static PatchException rollout(String message, Throwable cause) {
        return new PatchException(message, true, true, cause);
    }

    /** Whether the refusal is about the profile to roll out rather than recording. */
    public boolean rollout() {
        return rollout;
    }

    public boolean required() {
        return required;
    }
}
