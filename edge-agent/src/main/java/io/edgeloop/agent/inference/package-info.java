/**
 * Running a classifier with ONNX Runtime: one shared session ({@link io.edgeloop.agent.inference.ModelRuntime}),
 * per-worker preallocated input/output tensors ({@link io.edgeloop.agent.inference.InferenceContext}) and the
 * postprocessing that turns scores into a decision ({@link io.edgeloop.agent.inference.Postprocessor}).
 */
package io.edgeloop.agent.inference;
