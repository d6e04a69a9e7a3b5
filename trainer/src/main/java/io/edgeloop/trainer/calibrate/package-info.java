/**
 * Confidence calibration of a trained classifier from its validation logits: temperature scaling fitted by
 * minimising the negative log-likelihood ({@link io.edgeloop.trainer.calibrate.TemperatureScaling}), the expected
 * calibration error with its reliability diagram ({@link io.edgeloop.trainer.calibrate.ReliabilityDiagram}), and
 * per-class score thresholds for a target precision ({@link io.edgeloop.trainer.calibrate.PrecisionThresholds}),
 * brought together by the {@link io.edgeloop.trainer.calibrate.Calibrator}. Plain arrays, no engine: the DJL
 * training loop and the ONNX Runtime evaluation feed it alike.
 */
package io.edgeloop.trainer.calibrate;
