package io.contxray.shim.nri;

/** A ttrpc call that failed: a gRPC status code and a message, both sent to the caller. */
public final class CallException extends Exception {
    public static final int INVALID_ARGUMENT = 3;
    public static final int DEADLINE_EXCEEDED = 4;
    public static final int FAILED_PRECONDITION = 9;
    public static final int UNIMPLEMENTED = 12;
    public static final int UNAVAILABLE = 14;

    private final int code;

    public CallException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
