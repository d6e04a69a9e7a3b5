package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Turns RGB images into a model's normalised NCHW input as the {@link PreprocessSpec} says: resize, centre crop,
 * scale, normalise, channel order. Writes into a caller-provided buffer so a hot loop allocates nothing for the
 * tensor. Not thread-safe: one instance per worker thread (it keeps scratch arrays).
 */
public final class ImagePreprocessor {

    private final PreprocessSpec spec;
    private final float[] scale = new float[3];
    private final float[] offset = new float[3];
    private final int[] channelOf = new int[3];

    public ImagePreprocessor(PreprocessSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        for (int c = 0; c < 3; c++) {
            // out = (v * valueScale - mean) / std = v * scale + offset
            scale[c] = (float) (spec.valueScale() / spec.std().get(c));
            offset[c] = (float) (-spec.mean().get(c) / spec.std().get(c));
        }
        // channelOf[outputChannel] = source RGB channel index
        boolean bgr = spec.colourOrder() == ColourOrder.BGR;
        channelOf[0] = bgr ? 2 : 0;
        channelOf[1] = 1;
        channelOf[2] = bgr ? 0 : 2;
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /**
     * Resizes, crops and normalises an image, writing {@link PreprocessSpec#tensorLength()} floats at the
     * buffer's position and advancing it.
     */
    public void preprocess(BufferedImage image, FloatBuffer out) {
        normaliseCropped(resizeAndCrop(image), out);
    }

    /** Resize then centre crop, as the spec says; the result is {@code cropSize × cropSize}. */
    public BufferedImage resizeAndCrop(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int targetW;
        int targetH;
        switch (spec.resize()) {
            case SHORTER_SIDE -> {
                if (w <= h) {
                    targetW = spec.resizeSize();
                    targetH = (int) ((long) spec.resizeSize() * h / w);
                } else {
                    targetH = spec.resizeSize();
                    targetW = (int) ((long) spec.resizeSize() * w / h);
                }
            }
            case EXACT -> {
                targetW = spec.resizeSize();
                targetH = spec.resizeSize();
            }
            default -> {
                targetW = w;
                targetH = h;
            }
        }
        BufferedImage resized = (targetW == w && targetH == h) ? image : Resampler.resize(image, targetW, targetH);
        return centreCrop(resized, spec.cropSize());
    }

    /**
     * Normalises an image that is already {@code cropSize × cropSize} (e.g. from a training augmentation),
     * writing NCHW floats at the buffer's position and advancing it.
     */
    public void normaliseCropped(BufferedImage cropped, FloatBuffer out) {
        int size = spec.cropSize();
        if (cropped.getWidth() != size || cropped.getHeight() != size) {
            throw new IllegalArgumentException("image is " + cropped.getWidth() + "x" + cropped.getHeight()
                    + ", expected the crop size " + size + "x" + size);
        }
        int plane = size * size;
        int base = out.position();
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            cropped.getRGB(0, y, size, 1, row, 0, size);
            for (int x = 0; x < size; x++) {
                int argb = row[x];
                int index = base + y * size + x;
                for (int c = 0; c < 3; c++) {
                    int v = (argb >> (16 - 8 * channelOf[c])) & 0xFF;
                    out.put(index + c * plane, v * scale[c] + offset[c]);
                }
            }
        }
        out.position(base + 3 * plane);
    }

    /**
     * Preprocesses a raw packed RGB frame ({@code width × height × 3} bytes, row-major), as video pipelines deliver.
     */
    public void preprocessRgb(byte[] rgb, int width, int height, FloatBuffer out) throws ImageRejectedException {
        if (width < 1 || height < 1 || rgb.length != width * height * 3) {
            throw new ImageRejectedException(ImageRejectedException.Reason.WRONG_SIZE, "raw RGB frame has "
                    + rgb.length + " bytes, expected width*height*3 = " + (long) width * height * 3);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[width * height];
        for (int i = 0, p = 0; i < pixels.length; i++, p += 3) {
            pixels[i] = ((rgb[p] & 0xFF) << 16) | ((rgb[p + 1] & 0xFF) << 8) | (rgb[p + 2] & 0xFF);
        }
        image.setRGB(0, 0, width, height, pixels, 0, width);
        preprocess(image, out);
    }

    private static BufferedImage centreCrop(BufferedImage image, int size) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (w == size && h == size) {
            return image;
        }
        if (w < size || h < size) {
            // torchvision pads with zeros when the image is smaller than the crop
            BufferedImage padded = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            var g = padded.createGraphics();
            try {
                g.drawImage(image, (size - w) / 2, (size - h) / 2, null);
            } finally {
                g.dispose();
            }
            return padded;
        }
        int left = (int) Math.round((w - size) / 2.0);
        int top = (int) Math.round((h - size) / 2.0);
        return image.getSubimage(left, top, size, size);
    }
}
