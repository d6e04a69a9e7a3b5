/**
 * Image decoding and preprocessing shared by trainer and agent, so training and serving cannot disagree, and
 * matching torchvision so that models trained in PyTorch see the same input here.
 *
 * <ul>
 *   <li>{@link io.edgeloop.protocol.preprocess.ImageDecoder}: JPEG/PNG/BMP bytes to an upright
 *       {@code TYPE_INT_RGB} image with PIL's pixel values; rejects empty, oversized, truncated, corrupt and
 *       unsupported input, and frames whose decode would exceed the heap budget of
 *       {@link io.edgeloop.protocol.preprocess.DecodeLimits} (checked from the header), with an
 *       {@link io.edgeloop.protocol.preprocess.ImageRejectedException} naming the source and the reason.
 *       Thread-safe. For camera streams {@code decodeReusing} decodes colour JPEGs, RGB PNGs and uncompressed
 *       24/32-bit BMPs ({@code BmpPixels}, straight from the file's bytes) into
 *       the previous frame's memory as interleaved RGB bytes (same pixels, no garbage, no conversion pass).</li>
 *   <li>{@link io.edgeloop.protocol.preprocess.ImagePreprocessor}: an image or a raw RGB frame to the model's
 *       normalised NCHW floats as a {@link io.edgeloop.protocol.preprocess.PreprocessSpec} says, bit-exact with
 *       torchvision's {@code Resize + CenterCrop + ToTensor + Normalize} on PIL images. One per thread; no
 *       allocation per frame.</li>
 *   <li>{@link io.edgeloop.protocol.preprocess.DifferenceHash}: the near-duplicate hash that the device's
 *       hard-example selector and the workstation's collector share.</li>
 * </ul>
 *
 * <p>Reference data and the script that makes it: {@code protocol/src/test/python/make_reference.py}.
 */
package io.edgeloop.protocol.preprocess;
