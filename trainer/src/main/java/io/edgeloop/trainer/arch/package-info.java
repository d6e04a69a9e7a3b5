/**
 * edgeloop's own CNN architectures, written directly as ONNX graphs ({@code trainer init}): MobileNetV2, ResNet18
 * and a small plain CNN, at any width multiplier, input size and class count, randomly initialised the way
 * torchvision initialises them, from a seed. Because nothing may be downloaded at run time, the project pretrains
 * one of these on its own source task and ships it as the base model; the trainer's ONNX importer then treats it
 * like any other pretrained ONNX CNN.
 *
 * <p>The graphs use opset 13 and only Conv, BatchNormalization (unfolded, so training can update it), Relu, Clip
 * (ReLU6), Add, MaxPool, GlobalAveragePool, Flatten and Gemm; input {@code input} [batch, 3, S, S], output
 * {@code logits} [batch, classes], with initializers named like torchvision's {@code state_dict}
 * ({@code features.0.0.weight}, {@code layer1.0.bn1.running_mean}, …).
 */
package io.edgeloop.trainer.arch;
