package io.edgeloop.trainer.job;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The image-decoding threads of one job: daemon threads named {@code decode-N}, stopped on {@link #close()} within
 * 10 s. Owned by the job that opened it, in try-with-resources.
 */
public final class DecodePool implements AutoCloseable {

    /** Most decoding threads a job may ask for. */
    public static final int MAX_THREADS = 256;

    private final ExecutorService executor;

    private DecodePool(ExecutorService executor) {
        this.executor = executor;
    }

    /** Starts {@code threads} decoding threads, 1 to {@value #MAX_THREADS}. */
    public static DecodePool open(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads is " + threads + ", allowed 1.." + MAX_THREADS);
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "decode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new DecodePool(Executors.newFixedThreadPool(threads, factory));
    }

    /** One thread per CPU core. */
    public static int defaultThreads() {
        return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    }

    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("decoding threads did not stop within 10 s");
        }
    }
}
