package io.contxray.bpf;

import static io.contxray.bpf.Libbpf.LIB;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.Consumer;

/**
 * Consumer side of the `events` ring buffer through libbpf's ring_buffer__* API. Each record is
 * copied out, decoded by {@link EventDecoder} and handed to the sink on the calling thread (the
 * one in {@link #poll} or {@link #drain}). poll, drain and close are serialised on this object.
 * The sink must not block on locks held by whoever calls {@link #drain}.
 */
public final class EventRing implements AutoCloseable {
    private final Consumer<ProcessEvent> sink;
    /** Held here for the ring's whole life: libbpf calls it on every poll. */
    private final Libbpf.SampleFn callback;
    /** One struct epoll_event (at most 16 bytes); only whether one came matters. */
    private final Memory epollEvents = new Memory(16);
    private Pointer rb;
    private long malformed;
    private String lastMalformed;
    private RuntimeException sinkFailure;

    private EventRing(Consumer<ProcessEvent> sink) {
        this.sink = sink;
        this.callback = this::onSample;
    }

    /** ring_buffer__new on the map fd (a BPF_MAP_TYPE_RINGBUF). */
    public static EventRing open(int ringMapFd, Consumer<ProcessEvent> sink) {
        EventRing ring = new EventRing(sink);
        ring.rb = Libbpf.check(LIB.ring_buffer__new(ringMapFd, ring.callback, null, null), "ring_buffer__new",
                "opening the events ring buffer (fd " + ringMapFd + ")");
        return ring;
    }

    private int onSample(Pointer ctx, Pointer data, long size) {
        // Never let an exception unwind into libbpf: keep it and rethrow after the poll.
        try {
            ProcessEvent e;
            try {
                e = EventDecoder.decode(data.getByteArray(0, (int) size));
            } catch (EventDecoder.MalformedEventException m) {
                malformed++;
                lastMalformed = m.getMessage();
                return 0;
            }
            sink.accept(e);
        } catch (RuntimeException | Error t) {
            if (sinkFailure == null) {
                sinkFailure = t instanceof RuntimeException r ? r : new RuntimeException(t);
            }
        }
        return 0;
    }

    /**
     * Waits up to timeoutMs for records and consumes them; returns how many were consumed. The
     * wait holds no lock (ring_buffer__poll would hold it for the whole timeout, and a
     * {@link #drain} from another thread then waited that long, at every container stop).
     */
    public int poll(int timeoutMs) {
        int epfd;
        synchronized (this) {
            epfd = LIB.ring_buffer__epoll_fd(ring());
        }
        int ready = Libbpf.Loader.LIBC.epoll_wait(epfd, epollEvents, 1, timeoutMs);
        if (ready < 0) {
            int errno = Native.getLastError();
            if (errno != Libbpf.EINTR) {
                throw new BpfException("epoll_wait", errno, "waiting for the events ring buffer");
            }
        }
        return drain();
    }

    /** Consumes every record available now without waiting; returns how many. */
    public synchronized int drain() {
        int n = LIB.ring_buffer__consume(ring());
        return finish(n, "ring_buffer__consume");
    }

    private int finish(int n, String function) {
        RuntimeException failure = sinkFailure;
        sinkFailure = null;
        if (failure != null) {
            throw failure;
        }
        if (n == -Libbpf.EINTR) {
            return 0;
        }
        return Libbpf.check(n, function, "reading the events ring buffer");
    }

    /** Records that could not be decoded (a header/Java mismatch), counted rather than lost silently. */
    public synchronized long malformed() {
        return malformed;
    }

    public synchronized String lastMalformed() {
        return lastMalformed;
    }

    @Override
    public synchronized void close() {
        if (rb != null) {
            LIB.ring_buffer__free(rb);
            rb = null;
        }
    }

    private Pointer ring() {
        if (rb == null) {
            throw new IllegalStateException("EventRing is closed");
        }
        return rb;
    }
}
