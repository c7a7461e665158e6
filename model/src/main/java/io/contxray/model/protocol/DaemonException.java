package io.contxray.model.protocol;

/** Talking to the recorder daemon failed; the message is one line saying what and why. */
public class DaemonException extends Exception {
    private final boolean unreachable;

    public DaemonException(String message, boolean unreachable) {
        super(message);
        this.unreachable = unreachable;
    }

    /** True when no daemon accepted the connection (as opposed to one that misbehaved). */
    public boolean unreachable() {
        return unreachable;
    }
}
