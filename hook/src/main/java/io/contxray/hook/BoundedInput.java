package io.contxray.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads an input stream to its end with a size cap and a deadline. The read runs on a daemon
 * thread, so a stdin that never closes costs the caller the timeout and nothing more.
 */
final class BoundedInput {
    private BoundedInput() {
    }

    static byte[] readAll(InputStream in, int maxBytes, Duration timeout) throws HookException {
        FutureTask<byte[]> task = new FutureTask<>(() -> readCapped(in, maxBytes));
        Thread reader = new Thread(task, "contxray-hook-stdin");
        reader.setDaemon(true);
        reader.start();
        try {
            return task.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new HookException("input not closed after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HookException he) {
                throw he;
            }
            throw new HookException("read failed: " + OneLine.of(String.valueOf(cause.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HookException("interrupted while reading");
        }
    }

    private static byte[] readCapped(InputStream in, int maxBytes) throws IOException, HookException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            // Ask for at most one byte past the cap: enough to tell "too large" without reading on.
            int want = Math.min(buf.length, maxBytes + 1 - out.size());
            int n = in.read(buf, 0, want);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
            if (out.size() > maxBytes) {
                throw new HookException("input larger than " + maxBytes + " bytes");
            }
        }
    }
}
