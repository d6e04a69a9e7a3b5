package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.DecodePool;
import java.nio.file.Path;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** Options shared by the commands that read an ImageFolder: where it is and how many threads decode it. */
public final class DataOptions {

    /** Images per batch when {@code --batch-size} is not given. */
    static final int DEFAULT_BATCH = 32;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "ImageFolder: DIR/<label>/*.jpg|jpeg|png|bmp.")
    Path data;

    @Option(names = "--threads", paramLabel = "N",
            description = "Image decoding threads, 1 to 256. Default: one per CPU core.")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per batch, 1 to 4096. Default: 32.")
    Integer batchSize;

    int threads() {
        return threads == null ? DecodePool.defaultThreads() : threads;
    }

    int batchSize() {
        return batchSize == null ? DEFAULT_BATCH : batchSize;
    }

    OptionalInt batchSizeIfGiven() {
        return batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize);
    }
}
