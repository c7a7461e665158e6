package io.contxray.recorder;

import io.contxray.model.ContainerEvent;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes {@link ContainerEvent}s as events.jsonl lines: the non-null components in declaration
 * order (the order of its @JsonPropertyOrder), byte for byte the JSON the mapper writes (UTF-8,
 * Jackson's escapes). Hand-written into one reused buffer because this is the recorder's hottest
 * path: through Jackson's generator the line cost ~2 µs of a file event's ~3 with the daemon's
 * C1-only JIT, and the consumer fell behind 200k events/s on a shared core. One instance per
 * thread; not thread-safe.
 */
final class EventJson {
    private static final RecordComponent[] COMPONENTS = ContainerEvent.class.getRecordComponents();
    private static final Function<ContainerEvent, Object>[] GETTERS = getters();
    /** {@code ,"name":} per component. */
    private static final byte[][] NAMES = names();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** What a char below 0x80 becomes: 0 itself, 'u' a \\u00XX escape, else the letter after a backslash. */
    private static final byte[] ESCAPES = escapes();
    private static final Set<Class<?>> WRITABLE = Set.of(String.class, int.class, long.class, Integer.class,
            Long.class, Boolean.class, List.class);

    static {
        for (RecordComponent c : COMPONENTS) {
            if (!WRITABLE.contains(c.getType())) {
                throw new IllegalStateException("ContainerEvent." + c.getName() + " is a " + c.getType().getName()
                        + ", which EventJson does not write");
            }
        }
    }

    /** Longest {@code ,"name":value} kept to be copied when the next line has the same value. */
    private static final int SEGMENT_CACHE = 128;

    private byte[] buf = new byte[1024];
    private int len;
    private final Object[] lastValue = new Object[COMPONENTS.length];
    private final byte[][] lastSegment = new byte[COMPONENTS.length][SEGMENT_CACHE];
    private final int[] lastLength = new int[COMPONENTS.length];
    /** Digits of a number, written from the end. */
    private final byte[] digits = new byte[20];

    /**
     * One accessor object per component. Through MethodHandle.invokeExact each call paid the
     * handle's checks (~6 ns x 40 components) with C1; a generated Function is a plain call.
     */
    @SuppressWarnings("unchecked")
    private static Function<ContainerEvent, Object>[] getters() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Function<ContainerEvent, Object>[] out = new Function[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            try {
                MethodHandle accessor = lookup.unreflect(COMPONENTS[i].getAccessor());
                out[i] = (Function<ContainerEvent, Object>) LambdaMetafactory.metafactory(lookup, "apply",
                        MethodType.methodType(Function.class), MethodType.methodType(Object.class, Object.class),
                        accessor, accessor.type().wrap()).getTarget().invokeExact(); // wrap(): int -> Integer
            } catch (Throwable e) {
                throw new IllegalStateException("reading ContainerEvent." + COMPONENTS[i].getName(), e);
            }
        }
        return out;
    }

    private static byte[][] names() {
        byte[][] out = new byte[COMPONENTS.length][];
        for (int i = 0; i < COMPONENTS.length; i++) {
            out[i] = (",\"" + COMPONENTS[i].getName() + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static byte[] escapes() {
        byte[] out = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            out[c] = 'u';
        }
        out['\b'] = 'b';
        out['\t'] = 't';
        out['\n'] = 'n';
        out['\f'] = 'f';
        out['\r'] = 'r';
        out['"'] = '"';
        out['\\'] = '\\';
        return out;
    }

    /** Encodes one line, without its newline, into {@link #bytes()}; returns its length. */
    int encode(ContainerEvent e) {
        len = 0;
        for (int i = 0; i < GETTERS.length; i++) {
            Object v = GETTERS[i].apply(e);
            if (v != null) {
                field(i, v);
            }
        }
        if (len == 0) {
            put((byte) '{');
        } else {
            buf[0] = '{'; // over the first field's comma
        }
        put((byte) '}');
        return len;
    }

    /**
     * Writes {@code ,"name":value}. A value equal to the one this component had in the line before
     * (the same container id, type, op or errno object; the same pid or comm) is copied from then as
     * bytes: most of a file event's fields repeat, and writing them was most of its cost.
     */
    private void field(int i, Object v) {
        int cached = lastLength[i];
        if (cached > 0 && (v == lastValue[i] || (v instanceof Number || v instanceof String str && str.length() <= 16)
                && v.equals(lastValue[i]))) {
            ensure(cached);
            System.arraycopy(lastSegment[i], 0, buf, len, cached);
            len += cached;
            return;
        }
        int start = len;
        byte[] name = NAMES[i];
        ensure(name.length);
        System.arraycopy(name, 0, buf, len, name.length);
        len += name.length;
        value(v);
        int length = len - start;
        if (length <= SEGMENT_CACHE) {
            System.arraycopy(buf, start, lastSegment[i], 0, length);
            lastValue[i] = v;
            lastLength[i] = length;
        } else {
            lastValue[i] = null;
            lastLength[i] = 0;
        }
    }

    /** The buffer {@link #encode} wrote into; valid until the next call. */
    byte[] bytes() {
        return buf;
    }

    /** One line's bytes, without its newline, as a new array. */
    byte[] line(ContainerEvent e) {
        int length = encode(e); // first: encoding may replace buf with a larger one
        return Arrays.copyOf(buf, length);
    }

    private void value(Object v) {
        if (v instanceof String s) {
            string(s);
        } else if (v instanceof Integer n) {
            number(n);
        } else if (v instanceof Long n) {
            number(n);
        } else if (v instanceof Boolean b) {
            ascii(b ? "true" : "false");
        } else {
            List<?> list = (List<?>) v;
            put((byte) '[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                Object o = list.get(i);
                if (o == null) {
                    ascii("null");
                } else {
                    value(o);
                }
            }
            put((byte) ']');
        }
    }

    /**
     * A JSON string: UTF-8, escapes as Jackson writes them. The JDK encodes (one bulk copy for an
     * ASCII string; a char at a time here cost ~3.5 ns a char with C1), this only escapes. A lone
     * surrogate becomes '?', the JDK's replacement (Jackson would refuse the string).
     */
    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        ensure(n * 6 + 2); // the worst case: every byte a six-byte escape
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            byte c = utf8[i];
            byte esc = c < 0 ? 0 : ESCAPES[c];
            if (esc == 0) {
                b[at++] = c;
            } else if (esc == 'u') {
                b[at++] = '\\';
                b[at++] = 'u';
                b[at++] = '0';
                b[at++] = '0';
                b[at++] = HEX[c >> 4];
                b[at++] = HEX[c & 0xf];
            } else {
                b[at++] = '\\';
                b[at++] = esc;
            }
        }
        b[at++] = '"';
        len = at;
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        byte[] d = digits;
        int at = d.length;
        while (v > Integer.MAX_VALUE) {
            long q = v / 10;
            d[--at] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        int rest = (int) v; // int division: several times cheaper than long
        do {
            int q = rest / 10;
            d[--at] = (byte) ('0' + (rest - q * 10));
            rest = q;
        } while (rest != 0);
        System.arraycopy(d, at, buf, len, d.length - at);
        len += d.length - at;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
