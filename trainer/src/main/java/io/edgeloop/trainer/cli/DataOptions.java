package io.edgeloop.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Option;

/** Options shared by the commands that read an ImageFolder: where it is and how many threads decode it. */
public final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "ImageFolder: DIR/<label>/*.jpg|jpeg|png|bmp.")
    Path data;

    @Option(names = "--threads", paramLabel = "N",
            description = "Image decoding threads, 1 to 256. Default: one per CPU core.")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per batch, 1 to 4096. Default: 32.")
    Integer batchSize;

    int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("--threads is " + n + ", allowed 1..256");
        }
        return n;
    }

    int batchSize() {
        int n = batchSize == null ? 32 : batchSize;
        if (n < 1 || n > 4096) {
            throw new IllegalArgumentException("--batch-size is " + n + ", allowed 1..4096");
        }
        return n;
    }

    /** A pool of daemon decoding threads; the caller shuts it down. */
    ExecutorService newPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "decode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads(), factory);
    }

    static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdownNow();
        if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("decoding threads did not stop within 10 s");
        }
    }
}
