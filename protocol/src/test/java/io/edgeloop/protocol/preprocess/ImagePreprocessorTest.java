package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePreprocessorTest {

    private static final PreprocessSpec SPEC = PreprocessSpec.IMAGENET_224;

    /** A seeded image with structure (gradients) and noise, as packed RGB bytes. */
    private static byte[] randomRgb(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width; x++, p += 3) {
                rgb[p] = (byte) (x * 255 / width + random.nextInt(32));
                rgb[p + 1] = (byte) (y * 255 / height + random.nextInt(32));
                rgb[p + 2] = (byte) random.nextInt(256);
            }
        }
        return rgb;
    }

    private static BufferedImage intRgb(byte[] rgb, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, p = 0; i < data.length; i++, p += 3) {
            data[i] = ((rgb[p] & 0xFF) << 16) | ((rgb[p + 1] & 0xFF) << 8) | (rgb[p + 2] & 0xFF);
        }
        return image;
    }

    private static float[] run(ImagePreprocessor preprocessor, BufferedImage image) {
        FloatBuffer out = FloatBuffer.allocate(preprocessor.spec().tensorLength());
        preprocessor.preprocess(image, out);
        return out.array();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"640, 480", "480, 640", "451, 300", "224, 224", "256, 256", "100, 60", "1280, 720"})
    void rawRgbPathEqualsBufferedImagePath(int width, int height) throws Exception {
        byte[] rgb = randomRgb(width, height, 11L * width + height);
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        FloatBuffer raw = FloatBuffer.allocate(SPEC.tensorLength());
        preprocessor.preprocessRgb(rgb, width, height, raw);
        assertArrayEquals(run(preprocessor, intRgb(rgb, width, height)), raw.array());
    }

    /**
     * A 1 x 3000 strip resizes to 256 x 768000 before the crop; only the cropped rows and columns are computed,
     * so this is as cheap as any frame.
     */
    @Test
    void extremeAspectRatioComputesOnlyTheCrop() throws Exception {
        byte[] rgb = randomRgb(1, 3000, 8);
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        assertEquals(256, preprocessor.resizedWidth(1, 3000));
        assertEquals(768_000, preprocessor.resizedHeight(1, 3000));
        FloatBuffer raw = FloatBuffer.allocate(SPEC.tensorLength());
        preprocessor.preprocessRgb(rgb, 1, 3000, raw);
        assertArrayEquals(run(preprocessor, intRgb(rgb, 1, 3000)), raw.array());
        // every column of the upscaled single source column is the same
        float[] t = raw.array();
        for (int y = 0; y < 224; y++) {
            for (int x = 1; x < 224; x++) {
                assertEquals(t[y * 224], t[y * 224 + x], "row " + y);
            }
        }
    }

    /** Degenerate strips (tiny PNGs can declare them) fail with a message instead of exhausting memory. */
    @Test
    void absurdAspectRatiosAreRefusedWithAMessage() {
        // EXACT 256 of a 12,000,000-pixel side: ~94k weights for each of the 224 cropped outputs
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResampleWeights.bilinear(12_000_000, 256, 16, 240));
        assertEquals("resampling 12000000 pixels to 256 needs 21000224 filter weights, allowed at most 16777216; "
                + "the image's aspect ratio is too extreme for this resize", e.getMessage());
        FloatBuffer out = FloatBuffer.allocate(SPEC.tensorLength());
        // SHORTER_SIDE: the long side would be 256 * 9,000,000 pixels
        ImagePreprocessor shorter = new ImagePreprocessor(SPEC);
        e = assertThrows(IllegalArgumentException.class, () -> shorter.resizedWidth(9_000_000, 1));
        assertEquals("image with sides 9000000 and 1 resizes to 2304000000 pixels on its long side for "
                + "SHORTER_SIDE 256, allowed at most 2147483647; its aspect ratio is too extreme", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> shorter.preprocessRgb(new byte[9_000_000 * 3], 9_000_000, 1, out));
        assertTrue(e.getMessage().startsWith("image with sides 9000000 and 1 resizes to"), e.getMessage());
        assertEquals(0, out.position());
    }

    @Test
    void otherImageTypesAndSubImagesGiveTheSameTensor() {
        int w = 500;
        int h = 400;
        byte[] rgb = randomRgb(w, h, 3);
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        float[] expected = run(preprocessor, intRgb(rgb, w, h));

        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < data.length; p += 3) {
            data[p] = rgb[p + 2];
            data[p + 1] = rgb[p + 1];
            data[p + 2] = rgb[p];
        }
        assertArrayEquals(expected, run(preprocessor, bgr), "TYPE_3BYTE_BGR");

        // A sub-image shares its parent's array with an offset and a wider stride.
        BufferedImage parent = new BufferedImage(w + 30, h + 20, BufferedImage.TYPE_INT_RGB);
        parent.getRaster().setDataElements(17, 9, w, h,
                ((DataBufferInt) intRgb(rgb, w, h).getRaster().getDataBuffer()).getData());
        assertArrayEquals(expected, run(preprocessor, parent.getSubimage(17, 9, w, h)), "sub-image");

        // BGR bytes are read in place, also through a sub-image's offset and stride.
        BufferedImage bgrParent = new BufferedImage(w + 30, h + 20, BufferedImage.TYPE_3BYTE_BGR);
        bgrParent.getRaster().setDataElements(17, 9, w, h, rgb); // data elements are in band order, R G B
        BufferedImage bgrSub = bgrParent.getSubimage(17, 9, w, h);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, bgrSub.getType());
        assertArrayEquals(expected, run(preprocessor, bgrSub), "TYPE_3BYTE_BGR sub-image");
        // R, G, B bytes as decodeReusing fills them, whole and as a sub-image
        BufferedImage interleaved = InterleavedRgb.create(w + 30, h + 20);
        interleaved.getRaster().setDataElements(17, 9, w, h, rgb);
        assertArrayEquals(expected, run(preprocessor, interleaved.getSubimage(17, 9, w, h)), "RGB bytes sub-image");
        BufferedImage whole = InterleavedRgb.create(w, h);
        whole.getRaster().setDataElements(0, 0, w, h, rgb);
        assertArrayEquals(expected, run(preprocessor, whole), "RGB bytes");
        // an image smaller than the crop, copied rather than resampled, and the same with ColourOrder.BGR
        PreprocessSpec noResize = new PreprocessSpec(ResizePolicy.NONE, 0, 96, SPEC.mean(), SPEC.std(),
                1.0 / 255.0, ColourOrder.BGR);
        ImagePreprocessor copying = new ImagePreprocessor(noResize);
        assertArrayEquals(run(copying, intRgb(rgb, w, h).getSubimage(3, 5, 90, 70)),
                run(copying, bgr.getSubimage(3, 5, 90, 70)), "copied rows, BGR model");
    }

    @Test
    void writesAtTheBufferPositionAndAdvancesByTensorLength() throws Exception {
        PreprocessSpec spec = PreprocessSpec.imagenet(146, 128);
        assertEquals(3 * 128 * 128, spec.tensorLength());
        byte[] rgb = randomRgb(200, 150, 5);
        ImagePreprocessor preprocessor = new ImagePreprocessor(spec);
        FloatBuffer alone = FloatBuffer.allocate(spec.tensorLength());
        preprocessor.preprocessRgb(rgb, 200, 150, alone);
        assertEquals(spec.tensorLength(), alone.position());

        // A batch of two in one direct native-order buffer, as ONNX Runtime takes it; 7 floats of padding first.
        FloatBuffer batch = ByteBuffer.allocateDirect(4 * (7 + 2 * spec.tensorLength()))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 7; i++) {
            batch.put(-42f);
        }
        preprocessor.preprocessRgb(rgb, 200, 150, batch);
        assertEquals(7 + spec.tensorLength(), batch.position());
        preprocessor.preprocess(intRgb(rgb, 200, 150), batch);
        assertEquals(7 + 2 * spec.tensorLength(), batch.position());

        float[] all = new float[batch.capacity()];
        batch.flip();
        batch.get(all);
        assertArrayEquals(new float[] {-42f, -42f, -42f, -42f, -42f, -42f, -42f}, Arrays.copyOf(all, 7));
        assertArrayEquals(alone.array(), Arrays.copyOfRange(all, 7, 7 + spec.tensorLength()));
        assertArrayEquals(alone.array(), Arrays.copyOfRange(all, 7 + spec.tensorLength(), all.length));
    }

    @Test
    void rejectsABufferWithoutRoomAndWritesNothing() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        FloatBuffer small = FloatBuffer.allocate(SPEC.tensorLength() + 10);
        small.position(11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> preprocessor.preprocess(intRgb(randomRgb(300, 300, 1), 300, 300), small));
        assertEquals("output buffer has 150527 floats remaining at position 11, needs tensorLength() = 150528 "
                + "(3x224x224)", e.getMessage());
        assertEquals(11, small.position());
        assertEquals(0f, small.get(11));
    }

    @Test
    void rejectsARawFrameOfTheWrongLength() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        FloatBuffer out = FloatBuffer.allocate(SPEC.tensorLength());
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> preprocessor.preprocessRgb(new byte[640 * 480 * 3 - 1], 640, 480, out));
        assertEquals(ImageRejectedException.Reason.WRONG_SIZE, e.reason());
        assertEquals("raw RGB frame of 640x480 has 921599 bytes, expected width*height*3 = 921600", e.getMessage());

        e = assertThrows(ImageRejectedException.class, () -> preprocessor.preprocessRgb(new byte[0], 0, 480, out));
        assertEquals("raw RGB frame of 0x480 has 0 bytes, expected width*height*3 = a positive width and height",
                e.getMessage());
        assertEquals(0, out.position());
    }

    @Test
    void normaliseCroppedChecksTheSizeAndMatchesPreprocess() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> preprocessor.normaliseCropped(new BufferedImage(225, 224, BufferedImage.TYPE_INT_RGB),
                        FloatBuffer.allocate(SPEC.tensorLength())));
        assertEquals("image is 225x224, expected the crop size 224x224", e.getMessage());

        BufferedImage image = intRgb(randomRgb(320, 240, 9), 320, 240);
        BufferedImage cropped = preprocessor.resizeAndCrop(image);
        assertEquals(224, cropped.getWidth());
        assertEquals(224, cropped.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, cropped.getType());
        FloatBuffer viaCrop = FloatBuffer.allocate(SPEC.tensorLength());
        preprocessor.normaliseCropped(cropped, viaCrop);
        assertArrayEquals(run(preprocessor, image), viaCrop.array());
    }

    @Test
    void normalisesWithTheSpecsMeanStdAndScale() throws Exception {
        PreprocessSpec spec = new PreprocessSpec(ResizePolicy.NONE, 0, 2, List.of(10.0, 20.0, 30.0),
                List.of(2.0, 4.0, 5.0), 1.0, ColourOrder.RGB);
        byte[] rgb = {(byte) 12, (byte) 28, (byte) 255, 0, 0, 0, 1, 2, 3, (byte) 200, (byte) 100, (byte) 50};
        FloatBuffer out = FloatBuffer.allocate(12);
        new ImagePreprocessor(spec).preprocessRgb(rgb, 2, 2, out);
        assertArrayEquals(new float[] {
            1f, -5f, -4.5f, 95f,          // R plane: (v - 10) / 2
            2f, -5f, -4.5f, 20f,          // G plane: (v - 20) / 4
            45f, -6f, -5.4f, 4f}, out.array(), 1e-6f);
    }

    @Test
    void bgrOrderSwapsTheChannelPlanes() throws Exception {
        PreprocessSpec rgbSpec = PreprocessSpec.imagenet(146, 128);
        // Caffe-style: BGR planes; mean/std given in the model's (BGR) order.
        PreprocessSpec bgrSpec = new PreprocessSpec(ResizePolicy.SHORTER_SIDE, 146, 128,
                List.of(0.406, 0.456, 0.485), List.of(0.225, 0.224, 0.229), 1.0 / 255.0, ColourOrder.BGR);
        byte[] rgb = randomRgb(300, 200, 21);
        FloatBuffer rgbOut = FloatBuffer.allocate(rgbSpec.tensorLength());
        FloatBuffer bgrOut = FloatBuffer.allocate(bgrSpec.tensorLength());
        new ImagePreprocessor(rgbSpec).preprocessRgb(rgb, 300, 200, rgbOut);
        new ImagePreprocessor(bgrSpec).preprocessRgb(rgb, 300, 200, bgrOut);
        int plane = 128 * 128;
        float[] r = rgbOut.array();
        float[] b = bgrOut.array();
        assertArrayEquals(Arrays.copyOfRange(r, 2 * plane, 3 * plane), Arrays.copyOfRange(b, 0, plane), "blue");
        assertArrayEquals(Arrays.copyOfRange(r, plane, 2 * plane), Arrays.copyOfRange(b, plane, 2 * plane), "green");
        assertArrayEquals(Arrays.copyOfRange(r, 0, plane), Arrays.copyOfRange(b, 2 * plane, 3 * plane), "red");
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({
        "640, 480, 341, 256", "480, 640, 256, 341", "451, 300, 384, 256", "300, 451, 256, 384",
        "256, 256, 256, 256", "1920, 1080, 455, 256", "100, 700, 256, 1792"})
    void shorterSideResizeTruncatesTheLongSideLikeTorchvision(int w, int h, int expectedW, int expectedH) {
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        assertEquals(expectedW, preprocessor.resizedWidth(w, h));
        assertEquals(expectedH, preprocessor.resizedHeight(w, h));
    }

    @ParameterizedTest(name = "size {0}, crop {1} -> {2}")
    @CsvSource({
        "256, 224, 16", "257, 224, 16", "259, 224, 18", "261, 224, 18", "341, 224, 58", "224, 224, 0",
        "200, 224, -12", "201, 224, -11", "37, 64, -13"})
    void centreCropOffsetRoundsHalfToEvenAndPadsLikeTorchvision(int size, int crop, int expected) {
        // torchvision: int(round((size - crop) / 2.0)), Python rounds 16.5 to 16 and 17.5 to 18;
        // smaller images are padded by (crop - size) // 2 on the left/top.
        assertEquals(expected, ImagePreprocessor.cropOffset(size, crop));
    }

    @Test
    void hotPathAllocatesNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        ImagePreprocessor preprocessor = new ImagePreprocessor(SPEC);
        byte[] rgb = randomRgb(640, 480, 4);
        BufferedImage image = intRgb(rgb, 640, 480);
        FloatBuffer out = ByteBuffer.allocateDirect(4 * SPEC.tensorLength()).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < 5; i++) {
            out.clear();
            preprocessor.preprocessRgb(rgb, 640, 480, out);
            out.clear();
            preprocessor.preprocess(image, out);
        }
        int frames = 20;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < frames; i++) {
            out.clear();
            preprocessor.preprocessRgb(rgb, 640, 480, out);
            out.clear();
            preprocessor.preprocess(image, out);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // One frame's scratch alone would be 150 KB (crop) + 600 KB (tensor); allow a little for the measurement.
        assertTrue(allocated < 4096, () -> allocated + " bytes allocated over " + 2 * frames + " frames");
    }
}
