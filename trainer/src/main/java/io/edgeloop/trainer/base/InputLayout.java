package io.edgeloop.trainer.base;

/** Memory layout of a published model's image input. */
public enum InputLayout {
    /** Batch, channels, height, width: PyTorch, MXNet, Caffe2 exports. */
    NCHW,
    /** Batch, height, width, channels: TensorFlow and Keras via tf2onnx. */
    NHWC
}
