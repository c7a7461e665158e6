package io.contxray.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Consumer side of the `events` ring buffer, reading the kernel's mapping directly (the layout
 * of kernel/bpf/ringbuf.c that libbpf's ring_buffer__* reads too): no native call and no upcall
 * per record, which held the recorder to ~80k events/s through a JNA callback. Each record is
 * copied out, decoded by {@link EventDecoder} and handed to the sink on the calling thread (the
 * one in {@link #poll} or {@link #drain}). poll, drain and close are serialised on this object.
 * The sink must not block on locks held by whoever calls {@link #drain}.
 */
public final class EventRing implements AutoCloseable {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int EPOLL_CLOEXEC = 02000000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    /** The record header's length word: still being written, or discarded by its producer. */
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER_SIZE = 8;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Consumer<ProcessEvent> sink;
    private final long mask;
    private final long pageSize;
    private final long dataSize;
    /** One struct epoll_event (at most 16 bytes); only whether one came matters. */
    private final Memory epollEvents = new Memory(16);
    private Pointer consumerPage;
    private Pointer producerPages;
    private ByteBuffer consumerPos;
    private ByteBuffer producerPos;
    private ByteBuffer data;
    private int epfd = -1;
    private byte[] scratch = new byte[Layout.FILE_EVENT_SIZE];
    private long malformed;
    private String lastMalformed;

    private EventRing(Consumer<ProcessEvent> sink, long pageSize, long dataSize) {
        this.sink = sink;
        this.pageSize = pageSize;
        this.dataSize = dataSize;
        this.mask = dataSize - 1;
    }

    /** Maps the ring buffer map (a BPF_MAP_TYPE_RINGBUF of dataSize bytes) and watches it with epoll. */
    public static EventRing open(int ringMapFd, long dataSize, Consumer<ProcessEvent> sink) {
        if (Long.bitCount(dataSize) != 1 || dataSize > (1L << 30)) {
            throw new IllegalArgumentException("ring buffer size " + dataSize + " is not a power of two up to 1 GiB");
        }
        Libbpf.LibC libc = Libbpf.Loader.LIBC;
        EventRing ring = new EventRing(sink, libc.getpagesize(), dataSize);
        String doing = "mapping the events ring buffer (fd " + ringMapFd + ")";
        try {
            // The consumer position page is ours to write; the producer page and the data (mapped
            // twice in a row, so a record that wraps reads straight on) are the kernel's.
            ring.consumerPage = mmap(ringMapFd, ring.pageSize, PROT_READ | PROT_WRITE, 0, doing);
            ring.producerPages = mmap(ringMapFd, ring.pageSize + 2 * dataSize, PROT_READ, ring.pageSize, doing);
            ring.consumerPos = ring.consumerPage.getByteBuffer(0, 8).order(ByteOrder.nativeOrder());
            ring.producerPos = ring.producerPages.getByteBuffer(0, 8).order(ByteOrder.nativeOrder());
            ring.data = ring.producerPages.getByteBuffer(ring.pageSize, 2 * dataSize).order(ByteOrder.nativeOrder());
            ring.epfd = libc.epoll_create1(EPOLL_CLOEXEC);
            if (ring.epfd < 0) {
                throw new BpfException("epoll_create1", Native.getLastError(), doing);
            }
            Memory ev = new Memory(16);
            ev.clear();
            ev.setInt(0, EPOLLIN);
            if (libc.epoll_ctl(ring.epfd, EPOLL_CTL_ADD, ringMapFd, ev) < 0) {
                throw new BpfException("epoll_ctl", Native.getLastError(), doing);
            }
            return ring;
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    private static Pointer mmap(int fd, long length, int prot, long offset, String doing) {
        Pointer p = Libbpf.Loader.LIBC.mmap(null, length, prot, MAP_SHARED, fd, offset);
        if (p == null || Pointer.nativeValue(p) == -1L) {
            throw new BpfException("mmap", Native.getLastError(), doing);
        }
        return p;
    }

    /**
     * Waits up to timeoutMs for records and consumes them; returns how many were consumed. The
     * wait holds no lock, so a {@link #drain} from another thread (at every container stop) does
     * not wait for it.
     */
    public int poll(int timeoutMs) {
        int fd;
        synchronized (this) {
            fd = epfd();
        }
        int ready = Libbpf.Loader.LIBC.epoll_wait(fd, epollEvents, 1, timeoutMs);
        if (ready < 0) {
            int errno = Native.getLastError();
            if (errno != Libbpf.EINTR) {
                throw new BpfException("epoll_wait", errno, "waiting for the events ring buffer");
            }
        }
        return drain();
    }

    /**
     * Consumes every committed record available now without waiting; returns how many. Stops at
     * a record its producer has reserved but not yet committed (it comes with the next call).
     */
    public synchronized int drain() {
        epfd();
        int n = 0;
        RuntimeException failure = null;
        long cons = (long) LONGS.getAcquire(consumerPos, 0);
        while (true) {
            long prod = (long) LONGS.getAcquire(producerPos, 0);
            if (cons >= prod) {
                break;
            }
            int at = (int) (cons & mask);
            int header = (int) INTS.getAcquire(data, at);
            if ((header & BUSY_BIT) != 0) {
                break;
            }
            int len = header & ~(BUSY_BIT | DISCARD_BIT);
            if ((header & DISCARD_BIT) == 0) {
                failure = deliver(at + HEADER_SIZE, len, failure);
                n++;
            }
            cons += (len + HEADER_SIZE + 7) & ~7L;
            // the record's space goes back to the kernel only now: it was read in place
            LONGS.setRelease(consumerPos, 0, cons);
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    /** Copies one record out and hands it on; keeps the first sink failure to throw after the batch. */
    private RuntimeException deliver(int offset, int len, RuntimeException failure) {
        if (len > scratch.length) {
            scratch = new byte[len];
        }
        data.get(offset, scratch, 0, len);
        ProcessEvent e;
        try {
            e = EventDecoder.decode(scratch, 0, len);
        } catch (EventDecoder.MalformedEventException m) {
            malformed++;
            lastMalformed = m.getMessage();
            return failure;
        }
        try {
            sink.accept(e);
        } catch (RuntimeException | Error t) {
            if (failure == null) {
                return t instanceof RuntimeException r ? r : new RuntimeException(t);
            }
        }
        return failure;
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
        Libbpf.LibC libc = Libbpf.Loader.LIBC;
        if (epfd >= 0) {
            libc.close(epfd);
            epfd = -1;
        }
        if (producerPages != null) {
            libc.munmap(producerPages, pageSize + 2 * dataSize);
            producerPages = null;
        }
        if (consumerPage != null) {
            libc.munmap(consumerPage, pageSize);
            consumerPage = null;
        }
        consumerPos = producerPos = data = null;
    }

    private int epfd() {
        if (epfd < 0) {
            throw new IllegalStateException("EventRing is closed");
        }
        return epfd;
    }
}
