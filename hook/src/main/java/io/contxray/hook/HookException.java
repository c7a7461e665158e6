package io.contxray.hook;

/** A hook step failed; the message is one line saying what went wrong (control characters of named input become spaces). */
final class HookException extends Exception {
    HookException(String message) {
        super(OneLine.of(message));
    }
}
