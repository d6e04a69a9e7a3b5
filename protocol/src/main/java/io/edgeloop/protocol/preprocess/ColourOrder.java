package io.edgeloop.protocol.preprocess;

/** Channel order a model expects in its input tensor. */
public enum ColourOrder {
    /** Red, green, blue: torchvision, timm, most PyTorch exports. */
    RGB,
    /** Blue, green, red: Caffe and OpenCV-trained models. */
    BGR
}
