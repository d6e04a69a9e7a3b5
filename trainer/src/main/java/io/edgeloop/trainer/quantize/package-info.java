/**
 * Static int8 quantisation of an exported model package, in Java with ONNX Runtime, no Python: BatchNormalization
 * folded into the preceding Conv ({@link io.edgeloop.trainer.quantize.BatchNormFolding}), activation ranges
 * calibrated by running images through ONNX Runtime with the intermediate tensors exposed as extra graph outputs
 * ({@link io.edgeloop.trainer.quantize.Calibrator}, {@link io.edgeloop.trainer.quantize.ActivationHistogram},
 * {@link io.edgeloop.trainer.quantize.RangeMethod}), and the graph rewritten as QuantizeLinear/DequantizeLinear
 * pairs that ONNX Runtime fuses into its int8 kernels ({@link io.edgeloop.trainer.quantize.QdqRewriter},
 * {@link io.edgeloop.trainer.quantize.FusedKernels}). The job that runs it is
 * {@link io.edgeloop.trainer.job.QuantizeJob}; docs/quantization.md says what is quantised and why.
 */
package io.edgeloop.trainer.quantize;
