package io.edgeloop.agent.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that keeps every frame (tests of sources alone). */
final class CollectingSink implements FrameSink {

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final int stopAfter;

    /** @param stopAfter interrupt the source's thread after this many frames */
    CollectingSink(int stopAfter) {
        this.stopAfter = stopAfter;
    }

    @Override
    public void offerLatest(Frame frame) {
        add(frame);
    }

    @Override
    public void putWhenFree(Frame frame) {
        add(frame);
    }

    private void add(Frame frame) {
        frames.add(frame);
        if (frames.size() >= stopAfter) {
            Thread.currentThread().interrupt();
        }
    }
}
