package io.contxray.hook;

/** A hook step failed; the message is one line saying what went wrong. */
final class HookException extends Exception {
    HookException(String message) {
        super(message);
    }
}
