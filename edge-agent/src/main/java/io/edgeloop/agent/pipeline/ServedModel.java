package io.edgeloop.agent.pipeline;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.deploy.LiveModel;
import io.edgeloop.agent.event.EventMessages;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.metrics.PredictionTally;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a camera's two-stage pipeline needs from one model version: the lease that keeps the runtime open,
 * the preprocessing stage 1 applies, the postprocessing and event stamping stage 2 applies, and the pair of
 * preallocated frame buffers (each with its own input and output tensors) the stages pass between them. A model
 * swap replaces the whole object once both of its buffers are back, so a buffer is never filled with one model's
 * input size and run by another.
 */
final class ServedModel implements AutoCloseable {

    /** Buffers per model: one being filled by stage 1 while the other is inferred by stage 2. */
    static final int BUFFERS = 2;

    private final LiveModel.Lease lease;
    private final ModelSpec spec;
    private final ImagePreprocessor preprocessor;
    private final Postprocessor postprocessor;
    private final EventMessages messages;
    private final List<StagedFrame> buffers;
    private final PredictionTally tally;

    private ServedModel(LiveModel.Lease lease, ImagePreprocessor preprocessor, Postprocessor postprocessor,
            EventMessages messages, List<InferenceContext> contexts) {
        this.lease = lease;
        this.spec = lease.runtime().spec();
        this.preprocessor = preprocessor;
        this.postprocessor = postprocessor;
        this.messages = messages;
        List<StagedFrame> own = new ArrayList<>();
        for (InferenceContext c : contexts) {
            own.add(new StagedFrame(this, c));
        }
        this.buffers = List.copyOf(own);
        this.tally = new PredictionTally(ModelRef.of(spec.name(), spec.version()), spec.labels());
    }

    /** Takes a lease on the live model's current runtime and builds its parts and buffer pair. */
    static ServedModel open(LiveModel model, CameraWorker.Parts parts) throws OrtException {
        LiveModel.Lease lease = model.acquire();
        List<InferenceContext> contexts = new ArrayList<>();
        try {
            ModelSpec spec = lease.runtime().spec();
            Postprocessor post = parts.postprocessor(spec);
            EventMessages msgs = parts.messages(spec);
            ImagePreprocessor pre = new ImagePreprocessor(spec.preprocess());
            for (int i = 0; i < BUFFERS; i++) {
                contexts.add(lease.runtime().newContext());
            }
            return new ServedModel(lease, pre, post, msgs, contexts);
        } catch (OrtException | RuntimeException e) {
            contexts.forEach(InferenceContext::close);
            lease.close();
            throw e;
        }
    }

    ModelSpec spec() {
        return spec;
    }

    /** Whether a newer runtime was swapped in since this model was opened. */
    boolean stale() {
        return lease.stale();
    }

    ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    Postprocessor postprocessor() {
        return postprocessor;
    }

    /** This camera's class counts and confidence histogram for this model (drift telemetry). */
    PredictionTally tally() {
        return tally;
    }

    EventMessages messages() {
        return messages;
    }

    /** The buffer pair, in creation order. */
    List<StagedFrame> buffers() {
        return buffers;
    }

    /** Closes both buffers' tensors and releases the lease; only once no stage holds a buffer. */
    @Override
    public void close() {
        buffers.forEach(b -> b.context().close());
        lease.close();
    }
}
