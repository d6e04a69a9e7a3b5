package io.edgeloop.agent.source;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;

/**
 * A camera's frame producer. {@link #stream} blocks, delivering frames until the source ends (returns normally:
 * a replay without loop) or fails (throws: the runner retries with backoff). {@link #close} may be called from
 * another thread to abort blocking I/O.
 */
public interface FrameSource extends AutoCloseable {

    /** Streams frames into the sink until the source ends, fails, or the thread is interrupted. */
    void stream(FrameSink sink) throws IOException, InterruptedException;

    /**
     * The served model changed (a deploy was swapped in): sources that prepare frames for the model's
     * preprocessing (ffmpeg scales them to its resize size) adopt the new one from the next frame on, without
     * counting a failure. Called from another thread; the default does nothing.
     */
    default void modelChanged(PreprocessSpec preprocess) {
    }

    /** What the source reads from (no secrets), for logs and status. */
    String describe();

    /** Aborts blocking I/O (streams, processes). */
    @Override
    void close();
}
