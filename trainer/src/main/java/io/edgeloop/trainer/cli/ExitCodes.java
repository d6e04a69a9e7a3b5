package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.trainer.data.DatasetException;
import io.edgeloop.trainer.datasets.DatasetNotFoundException;
import io.edgeloop.trainer.datasets.IdxFormatException;
import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.onnx.OnnxImportException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

/**
 * The one exit-code contract of every trainer command: {@link #OK} 0 on success, {@link #USAGE} 2 for bad usage or
 * bad input (options, data, model or key files; the reason on stderr), {@link #FAILURE} 1 when the work itself
 * failed (training diverged, broker unreachable, I/O error, a bug).
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** The work failed: training diverged or was interrupted, a broker or disk failed, a bug. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }

    /** Bad input (options, data, models, keys, missing files) is {@link #USAGE}; everything else {@link #FAILURE}. */
    public static int of(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof DatasetException
                || ex instanceof OnnxImportException || ex instanceof ModelPackageException
                || ex instanceof KeyFileException || ex instanceof NoSuchFileException
                || ex instanceof DatasetNotFoundException || ex instanceof IdxFormatException
                || (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException)) {
            return USAGE;
        }
        return FAILURE;
    }

    /**
     * The one-line message a user sees for an exception: its own message for bad input and for failures that
     * explain themselves; the exception's simple name in front of other failures, so an unexpected one is
     * recognisable in a bug report.
     */
    static String message(Throwable ex) {
        String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        boolean explains = of(ex) == USAGE || ex instanceof CancellationException
                || ex instanceof io.edgeloop.trainer.train.NonFiniteLossException || ex instanceof JobFailure;
        return oneLine(explains ? message : ex.getClass().getSimpleName() + ": " + message);
    }

    static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
