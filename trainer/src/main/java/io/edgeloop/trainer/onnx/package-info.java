/**
 * Imports a pretrained ONNX CNN classifier as a trainable DJL network: the graph's nodes run as NDArray operations on
 * the PyTorch engine, float initializers become DJL parameters, the classifier head is found (or cut at a named node)
 * and replaced by a new linear layer. Entry point: {@link io.edgeloop.trainer.onnx.OnnxImporter}.
 */
package io.edgeloop.trainer.onnx;
