package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Turns RGB images into a model's normalised NCHW input as the {@link PreprocessSpec} says, reproducing
 * torchvision's {@code Resize(size) → CenterCrop(crop) → ToTensor() → Normalize(mean, std)} on a PIL image:
 *
 * <ul>
 *   <li>resize with PIL's antialiased bilinear filter, bit-exact (see {@link Resampler}); the shorter side
 *       becomes {@code resizeSize} and the longer one {@code (int) (resizeSize * long / short)}, as torchvision
 *       computes it;</li>
 *   <li>centre crop at {@code round((size - crop) / 2.0)} with Python's round-half-to-even, zero padding where the
 *       image is smaller than the crop (only possible with {@link ResizePolicy#NONE});</li>
 *   <li>{@code (pixel * valueScale - mean) / std} per channel, in the spec's {@link ColourOrder}.</li>
 * </ul>
 *
 * <p>Writes into a caller-provided buffer at its position and advances it by {@link PreprocessSpec#tensorLength()}.
 * For {@code TYPE_INT_RGB} images and raw RGB frames of a size seen before nothing is allocated: filter weights and
 * scratch arrays are kept in the instance. Not thread-safe: use one instance per worker thread.
 */
public final class ImagePreprocessor {

    private final PreprocessSpec spec;
    private final int crop;
    /** {@code lut[outputChannel][sample]}: the normalised value of an 8-bit sample. */
    private final float[][] lut = new float[3][256];
    /** {@code channelOf[outputChannel]}: the RGB channel (0 red, 1 green, 2 blue) it is taken from. */
    private final int[] channelOf = new int[3];
    private final Resampler resampler = new Resampler();
    private final PixelSource source = new PixelSource();
    /** The crop as interleaved RGB bytes. */
    private final byte[] cropped;
    /** The tensor before the bulk copy into the caller's buffer; made on first use (resize-only users skip it). */
    private float[] tensor;

    public ImagePreprocessor(PreprocessSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.crop = spec.cropSize();
        this.cropped = new byte[crop * crop * 3];
        boolean bgr = spec.colourOrder() == ColourOrder.BGR;
        for (int c = 0; c < 3; c++) {
            channelOf[c] = bgr ? 2 - c : c;
            float mean = spec.mean().get(c).floatValue();
            float std = spec.std().get(c).floatValue();
            for (int v = 0; v < 256; v++) {
                if (spec.valueScale() == 1.0 / 255.0) {
                    // torchvision's float32 arithmetic: ToTensor divides by 255, Normalize subtracts and divides.
                    lut[c][v] = ((float) v / 255.0f - mean) / std;
                } else {
                    lut[c][v] = (float) ((v * spec.valueScale() - spec.mean().get(c)) / spec.std().get(c));
                }
            }
        }
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /**
     * Resizes, crops and normalises an image, writing {@link PreprocessSpec#tensorLength()} floats at the
     * buffer's position and advancing it. {@code TYPE_INT_RGB} and interleaved 3-byte RGB or BGR images (see
     * {@link ImageDecoder#decodeReusing}) are read in place; others are converted first (one copy).
     *
     * @throws IllegalArgumentException if the buffer has fewer than {@code tensorLength()} floats remaining, or the
     *                                  image's aspect ratio is too extreme to resize (a side would exceed 2^31 - 1
     *                                  pixels, or the filter table {@link ResampleWeights#MAX_TABLE_ENTRIES})
     */
    public void preprocess(BufferedImage image, FloatBuffer out) {
        requireRoom(out);
        resizeCrop(pixelsOf(image));
        writeTensor(out);
    }

    /**
     * Preprocesses a raw packed RGB frame ({@code width × height × 3} bytes, row-major), as video pipelines
     * deliver, writing {@link PreprocessSpec#tensorLength()} floats at the buffer's position and advancing it.
     * Gives the same floats as decoding the frame into a {@code TYPE_INT_RGB} image and calling
     * {@link #preprocess(BufferedImage, FloatBuffer)}.
     *
     * @throws ImageRejectedException with {@link ImageRejectedException.Reason#WRONG_SIZE} if the array length is
     *                                not {@code width × height × 3}
     */
    public void preprocessRgb(byte[] rgb, int width, int height, FloatBuffer out) throws ImageRejectedException {
        Objects.requireNonNull(rgb, "rgb");
        long expected = (long) width * height * 3;
        if (width < 1 || height < 1 || rgb.length != expected) {
            throw new ImageRejectedException(ImageRejectedException.Reason.WRONG_SIZE, "raw RGB frame of "
                    + width + "x" + height + " has " + rgb.length + " bytes, expected width*height*3 = "
                    + (width < 1 || height < 1 ? "a positive width and height" : String.valueOf(expected)));
        }
        requireRoom(out);
        try {
            resizeCrop(source.interleavedBytes(rgb, width, height));
        } finally {
            source.clear();
        }
        writeTensor(out);
    }

    /** Resize then centre crop, as the spec says; the result is a new {@code cropSize × cropSize} image. */
    public BufferedImage resizeAndCrop(BufferedImage image) {
        resizeCrop(pixelsOf(image));
        BufferedImage result = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) result.getRaster().getDataBuffer()).getData();
        for (int i = 0, p = 0; i < data.length; i++, p += 3) {
            data[i] = ((cropped[p] & 0xFF) << 16) | ((cropped[p + 1] & 0xFF) << 8) | (cropped[p + 2] & 0xFF);
        }
        return result;
    }

    /**
     * Normalises an image that is already {@code cropSize × cropSize} (e.g. from a training augmentation),
     * writing NCHW floats at the buffer's position and advancing it.
     *
     * @throws IllegalArgumentException if the image is not {@code cropSize × cropSize} or the buffer is too small
     */
    public void normaliseCropped(BufferedImage cropSizedImage, FloatBuffer out) {
        if (cropSizedImage.getWidth() != crop || cropSizedImage.getHeight() != crop) {
            throw new IllegalArgumentException("image is " + cropSizedImage.getWidth() + "x"
                    + cropSizedImage.getHeight() + ", expected the crop size " + crop + "x" + crop);
        }
        requireRoom(out);
        PixelSource pixels = pixelsOf(cropSizedImage);
        try {
            for (int y = 0; y < crop; y++) {
                pixels.copyRow(y, 0, crop, cropped, y * crop * 3);
            }
        } finally {
            pixels.clear();
        }
        writeTensor(out);
    }

    /**
     * Width after the resize of a {@code width × height} image; for {@link ResizePolicy#SHORTER_SIDE} the longer
     * side is {@code int(size * long / short)}, a float division truncated, as torchvision computes it.
     */
    int resizedWidth(int width, int height) {
        return switch (spec.resize()) {
            case SHORTER_SIDE -> width <= height ? spec.resizeSize() : scaleLong(width, height);
            case EXACT -> spec.resizeSize();
            case NONE -> width;
        };
    }

    /** Height after the resize of a {@code width × height} image; see {@link #resizedWidth(int, int)}. */
    int resizedHeight(int width, int height) {
        return switch (spec.resize()) {
            case SHORTER_SIDE -> width <= height ? scaleLong(height, width) : spec.resizeSize();
            case EXACT -> spec.resizeSize();
            case NONE -> height;
        };
    }

    private int scaleLong(int longSide, int shortSide) {
        double scaled = (double) ((long) spec.resizeSize() * longSide) / shortSide;
        if (scaled >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image with sides " + longSide + " and " + shortSide + " resizes to "
                    + (long) scaled + " pixels on its long side for " + spec.resize() + " " + spec.resizeSize()
                    + ", allowed at most " + Integer.MAX_VALUE + "; its aspect ratio is too extreme");
        }
        return (int) scaled;
    }

    /**
     * torchvision's {@code CenterCrop} offset along one axis: {@code round((size - crop) / 2.0)} with Python's
     * round-half-to-even, or minus the left/top zero padding when the image is smaller than the crop.
     */
    static int cropOffset(int size, int crop) {
        if (crop > size) {
            return -((crop - size) / 2);
        }
        return (int) Math.rint((size - crop) / 2.0);
    }

    private void resizeCrop(PixelSource pixels) {
        try {
            int w = pixels.width();
            int h = pixels.height();
            int outW = resizedWidth(w, h);
            int outH = resizedHeight(w, h);
            resampler.resizeCrop(pixels, outW, outH, cropOffset(outW, crop), cropOffset(outH, crop), crop, crop,
                    cropped);
        } finally {
            pixels.clear();
        }
    }

    /**
     * The pixels of an interleaved 3-byte image ({@code TYPE_3BYTE_BGR}, or the R, G, B layout of
     * {@link ImageDecoder#decodeReusing}) read in place; any other image as {@code TYPE_INT_RGB}, converted first if
     * it is not one already.
     */
    private PixelSource pixelsOf(BufferedImage image) {
        InterleavedRgb.Order order = InterleavedRgb.orderOf(image);
        if (order != null) {
            Raster raster = image.getRaster();
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            int stride = sm.getScanlineStride();
            int offset = buffer.getOffset() - raster.getSampleModelTranslateY() * stride
                    - raster.getSampleModelTranslateX() * 3;
            return source.interleavedBytes(buffer.getData(), offset, stride, image.getWidth(), image.getHeight(),
                    order == InterleavedRgb.Order.BGR);
        }
        return intPixelsOf(RgbConversion.toIntRgb(image));
    }

    private PixelSource intPixelsOf(BufferedImage intRgb) {
        Raster raster = intRgb.getRaster();
        SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) raster.getSampleModel();
        DataBufferInt buffer = (DataBufferInt) raster.getDataBuffer();
        int stride = sm.getScanlineStride();
        // A sub-image shares its parent's array; the translation says where it starts.
        int offset = buffer.getOffset() - raster.getSampleModelTranslateY() * stride
                - raster.getSampleModelTranslateX();
        return source.packedInts(buffer.getData(), offset, stride, intRgb.getWidth(), intRgb.getHeight());
    }

    private void writeTensor(FloatBuffer out) {
        if (tensor == null) {
            tensor = new float[spec.tensorLength()];
        }
        int plane = crop * crop;
        float[] l0 = lut[0];
        float[] l1 = lut[1];
        float[] l2 = lut[2];
        int c0 = channelOf[0];
        int c1 = channelOf[1];
        int c2 = channelOf[2];
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            tensor[i] = l0[cropped[p + c0] & 0xFF];
            tensor[plane + i] = l1[cropped[p + c1] & 0xFF];
            tensor[2 * plane + i] = l2[cropped[p + c2] & 0xFF];
        }
        out.put(tensor);
    }

    private void requireRoom(FloatBuffer out) {
        Objects.requireNonNull(out, "out");
        if (out.remaining() < spec.tensorLength()) {
            throw new IllegalArgumentException("output buffer has " + out.remaining()
                    + " floats remaining at position " + out.position() + ", needs tensorLength() = "
                    + spec.tensorLength() + " (3x" + crop + "x" + crop + ")");
        }
    }
}
