package io.edgeloop.agent.deploy;

import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.source.Frame;
import java.awt.image.BufferedImage;

/**
 * Where a camera hands its classified frames to a running shadow deploy. Called on the camera's inference thread
 * after the frame's messages were handed over; returns at once (the candidate runs on its own thread or not at all).
 */
public interface ShadowTap {

    /** No shadow ever. */
    ShadowTap NONE = (frame, active, disagreed) -> { };

    /** Receives, on the shadow's thread, a frame the candidate classified differently from the active model. */
    interface Disagreements {
        /**
         * @param image the frame as the candidate decoded it, or null for a raw RGB frame
         */
        void disagreed(Frame frame, Classification active, BufferedImage image);
    }

    /** Offers one frame and the active model's decision on it. */
    void offer(Frame frame, Classification active, Disagreements disagreed);
}
