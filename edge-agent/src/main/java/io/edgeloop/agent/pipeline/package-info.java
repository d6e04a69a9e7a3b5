/**
 * The running agent: per camera a source, a latest-frame slot and a worker (decode → preprocess → ONNX Runtime →
 * postprocess → event/hard example into the spool), one shared model session, the MQTT link, periodic metrics and
 * a bounded graceful shutdown.
 */
package io.edgeloop.agent.pipeline;
