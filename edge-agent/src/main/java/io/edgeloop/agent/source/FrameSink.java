package io.edgeloop.agent.source;

/** Where a source delivers frames: the camera's hand-off to its inference worker. */
public interface FrameSink {

    /** Live sources: hands the frame over, replacing (and counting as dropped) one not yet taken. */
    void offerLatest(Frame frame);

    /** Sources where every frame matters (folder, unpaced replay): waits until the worker took the previous one. */
    void putWhenFree(Frame frame) throws InterruptedException;
}
