package io.contxray.model.protocol;

/** A peer sent something that is not a valid message of this protocol. */
public class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }
}
