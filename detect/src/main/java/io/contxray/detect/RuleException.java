package io.contxray.detect;

/** A rule file that cannot be used; the message is one line, starting with {@code FILE:LINE:}. */
public final class RuleException extends Exception {
    public RuleException(String message) {
        super(message);
    }
}
