package io.edgeloop.trainer.base;

/** Hears how a download goes, for a progress bar. Called on the downloading thread. */
public interface DownloadListener {

    /** Hears nothing. */
    DownloadListener NONE = new DownloadListener() {
    };

    /** Bytes start to flow: {@code total} expected in all, {@code from} of them already on disk (a resume). */
    default void started(long total, long from) {
    }

    /** {@code bytes} of the file are on disk so far. */
    default void progressed(long bytes) {
    }

    /** The transfer ended, successfully or not. */
    default void ended() {
    }
}
