/**
 * The running agent: per camera a source, a latest-frame slot and a two-stage worker (stage 1 thread: decode →
 * preprocess into one of two preallocated input tensors; stage 2 thread: ONNX Runtime → postprocess → event/hard
 * example into the spool; a frame's errors stay with that frame, a stage that dies is restarted by its
 * {@code StageSupervisor}), one shared model session, the MQTT link, periodic metrics and a bounded graceful
 * shutdown.
 */
package io.edgeloop.agent.pipeline;
