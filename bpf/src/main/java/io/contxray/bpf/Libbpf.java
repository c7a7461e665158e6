package io.contxray.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * JNA binding to the distribution's libbpf.so.1 (libbpf >= 1.0: int functions return
 * -errno, pointer functions return NULL and set errno). Use {@link #LIB} for the calls and
 * {@link #check(int, String, String)} / {@link #check(Pointer, String, String)} right after
 * each one, on the same thread, so errno is still the call's own.
 * size_t is mapped to long (LP64 only: x86_64, aarch64).
 */
public interface Libbpf extends Library {
    Libbpf LIB = Loader.load();

    Pointer bpf_object__open_mem(Pointer objBuf, long objBufSize, Pointer opts);
    int bpf_object__load(Pointer obj);
    void bpf_object__close(Pointer obj);
    Pointer bpf_object__find_map_by_name(Pointer obj, String name);
    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    int bpf_map__set_pin_path(Pointer map, String path);
    int bpf_map__fd(Pointer map);
    Pointer bpf_map__initial_value(Pointer map, LongByReference size);
    int bpf_map__key_size(Pointer map);
    int bpf_map__value_size(Pointer map);
    int bpf_map__max_entries(Pointer map);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);
    int bpf_program__fd(Pointer prog);
    /** opts: struct bpf_test_run_opts (Layout.TEST_RUN_OPTS_*). */
    int bpf_prog_test_run_opts(int progFd, Pointer opts);
    Pointer bpf_program__attach(Pointer prog);

    int bpf_link__pin(Pointer link, String path);
    int bpf_link__unpin(Pointer link);
    int bpf_link__destroy(Pointer link);
    Pointer bpf_link__open(String path);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);
    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);
    int bpf_map_delete_elem(int fd, Pointer key);
    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    Pointer libbpf_set_print(PrintFn fn);
    int libbpf_num_possible_cpus();
    /** The BTF type id of a kernel function or tracepoint for an attach type, or a negative errno. */
    int libbpf_find_vmlinux_btf_id(String name, int attachType);
    int libbpf_major_version();
    int libbpf_minor_version();

    /** bpf_map_update_elem flags. */
    long BPF_ANY = 0;

    int ENOENT = 2;
    int EINTR = 4;

    /** libbpf_print_fn_t; the va_list is passed on to vsnprintf. */
    interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    /** Throws a BpfException for a negative libbpf return value; returns it otherwise. */
    static int check(int ret, String function, String doing) {
        if (ret < 0) {
            throw new BpfException(function, -ret, doing);
        }
        return ret;
    }

    /** Throws a BpfException (with the call's errno) for a NULL result. */
    static Pointer check(Pointer ret, String function, String doing) {
        if (ret == null) {
            throw new BpfException(function, Native.getLastError(), doing);
        }
        return ret;
    }

    /** The parts of libc the binding needs. */
    interface LibC extends Library {
        String strerror(int errno);
        int vsnprintf(byte[] buf, long size, String format, Pointer args);
        /** struct timespec { long tv_sec; long tv_nsec; } on LP64. */
        int clock_gettime(int clockId, Pointer timespec);
        /** events: room for maxEvents struct epoll_event (12 bytes each on x86_64, 16 elsewhere). */
        int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);
        int epoll_create1(int flags);
        /** event: one struct epoll_event (events in its first 4 bytes). */
        int epoll_ctl(int epfd, int op, int fd, Pointer event);
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);
        int munmap(Pointer addr, long length);
        int close(int fd);
        int getpagesize();
    }

    /** Loads the libraries and installs the log forwarder once per process. */
    final class Loader {
        static final LibC LIBC = Native.load("c", LibC.class);
        private static final int LIBBPF_WARN = 0;
        /** Kept referenced for the process lifetime: libbpf calls it from any later call. */
        private static final PrintFn WARNINGS_TO_STDERR = (level, format, args) -> {
            if (level != LIBBPF_WARN) {
                return 0; // info/debug: the verifier log and probing chatter, too loud
            }
            byte[] buf = new byte[4096];
            int n = LIBC.vsnprintf(buf, buf.length, format, args);
            int len = Math.max(0, Math.min(n, buf.length - 1));
            System.err.print(new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8));
            return n;
        };

        private Loader() {
        }

        /** libc's text for an errno; does not need libbpf. */
        static String strerror(int errno) {
            return LIBC.strerror(errno);
        }

        private static Libbpf load() {
            Libbpf lib;
            try {
                lib = Native.load("libbpf.so.1", Libbpf.class);
            } catch (UnsatisfiedLinkError e) {
                throw new BpfException("cannot load libbpf.so.1 (install the Debian package libbpf1): "
                        + e.getMessage());
            }
            lib.libbpf_set_print(WARNINGS_TO_STDERR);
            return lib;
        }
    }
}
