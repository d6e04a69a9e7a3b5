package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.source.Frame;
import java.awt.image.BufferedImage;

/**
 * One of a served model's two preallocated frame buffers, passed from stage 1 (decode + preprocess, which fills
 * the input tensor and the fields below) to stage 2 (inference + publish) and back. Mutable, but only ever held by
 * one stage at a time: the blocking queues between the stages publish its contents safely.
 */
final class StagedFrame {

    private final ServedModel model;
    private final InferenceContext context;
    private Frame frame;
    private BufferedImage image;
    /** The last decoded image, kept across frames so that the next frame of the same size is decoded into it. */
    private BufferedImage decodeTarget;
    private long startNanos;
    private long decodeNanos;
    private long preprocessNanos;

    StagedFrame(ServedModel model, InferenceContext context) {
        this.model = model;
        this.context = context;
    }

    /** The model whose tensors these are and whose postprocessing applies. */
    ServedModel model() {
        return model;
    }

    InferenceContext context() {
        return context;
    }

    /** Records what stage 1 did with the frame now in the input buffer. */
    void filled(Frame f, BufferedImage decoded, long start, long decode, long preprocess) {
        frame = f;
        image = decoded;
        if (decoded != null) {
            decodeTarget = decoded;
        }
        startNanos = start;
        decodeNanos = decode;
        preprocessNanos = preprocess;
    }

    Frame frame() {
        return frame;
    }

    /** The decoded image, or null for a raw RGB frame. */
    BufferedImage image() {
        return image;
    }

    /**
     * Memory stage 1 may decode the next frame into (see
     * {@link io.edgeloop.protocol.preprocess.ImageDecoder#decodeReusing}), or null; only valid while stage 1 holds
     * this buffer, i.e. after stage 2 is done with the previous frame's image.
     */
    BufferedImage decodeTarget() {
        return decodeTarget;
    }

    /** Forgets the reusable image (after a failed decode it may be half written, or the failure was memory). */
    void dropDecodeTarget() {
        decodeTarget = null;
    }

    long startNanos() {
        return startNanos;
    }

    long decodeNanos() {
        return decodeNanos;
    }

    long preprocessNanos() {
        return preprocessNanos;
    }

    /** Drops the references to the frame once stage 2 is done, so a returned buffer keeps no image alive. */
    void clear() {
        frame = null;
        image = null;
    }
}
