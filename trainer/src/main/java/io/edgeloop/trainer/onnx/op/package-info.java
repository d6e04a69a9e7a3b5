/**
 * ONNX operator implementations on DJL NDArrays (PyTorch engine), one small class per operator or family, registered
 * in one table ({@link io.edgeloop.trainer.onnx.op.OpRegistry}). Each follows the ONNX spec for opsets 7–18 where
 * torchvision, tf2onnx and ONNX-model-zoo (MXNet/Caffe2 era, opset 7–10 attribute forms) CNN exports use it, with the
 * workarounds listed in {@code shared/ONNX_OPS.md} and {@code docs/onnx-import.md}.
 */
package io.edgeloop.trainer.onnx.op;
