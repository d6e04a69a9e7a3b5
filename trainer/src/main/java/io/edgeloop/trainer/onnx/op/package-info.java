/**
 * ONNX operator implementations on DJL NDArrays (PyTorch engine), one small class per operator or family, registered
 * in one table ({@link io.edgeloop.trainer.onnx.op.OpRegistry}). Each follows the ONNX spec for opsets 7–18 where
 * torchvision/tf2onnx CNN exports use it, with the workarounds listed in {@code shared/ONNX_OPS.md}.
 */
package io.edgeloop.trainer.onnx.op;
