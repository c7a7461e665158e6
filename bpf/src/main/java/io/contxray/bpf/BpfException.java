package io.contxray.bpf;

/**
 * A libbpf or kernel call failed. The message names the libbpf function, the errno text and
 * what contxray was doing, e.g.
 * {@code bpf_object__load: Operation not permitted (errno 1), while loading contxray.bpf.o}.
 */
public class BpfException extends RuntimeException {
    private final String function;
    private final int errno;

    public BpfException(String function, int errno, String doing) {
        super(function + ": " + Libbpf.Loader.strerror(errno) + " (errno " + errno + ")"
                + (doing == null || doing.isEmpty() ? "" : ", while " + doing));
        this.function = function;
        this.errno = errno;
    }

    /** A failure found by contxray itself (e.g. an object that does not match Layout). */
    public BpfException(String message) {
        super(message);
        this.function = null;
        this.errno = 0;
    }

    /** The libbpf function that failed, or null for contxray's own checks. */
    public String function() {
        return function;
    }

    /** The positive errno, or 0 when unknown. */
    public int errno() {
        return errno;
    }
}
