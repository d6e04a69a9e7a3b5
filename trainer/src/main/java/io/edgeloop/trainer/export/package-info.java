/**
 * Writes a fine-tuned {@link io.edgeloop.trainer.onnx.OnnxClassifierNetwork} back as ONNX: the original graph (same
 * opset, same nodes) with the trained weights in its initializers and the new head, and checks the result against
 * ONNX Runtime ({@link io.edgeloop.trainer.export.ExportVerifier}).
 */
package io.edgeloop.trainer.export;
