package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    private static int[] pixels(BufferedImage image) {
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** The pixels as {@code 0xRRGGBB}, whatever the image type. */
    static int[] rgb(BufferedImage image) {
        int[] out = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    private static int[] packed(byte[] rgb) {
        int[] out = new int[rgb.length / 3];
        for (int i = 0, p = 0; i < out.length; i++, p += 3) {
            out[i] = ((rgb[p] & 0xFF) << 16) | ((rgb[p + 1] & 0xFF) << 8) | (rgb[p + 2] & 0xFF);
        }
        return out;
    }

    private ImageRejectedException rejected(byte[] data, String source) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(data, source));
    }

    // ---- decompression bombs and limits ----

    /** A 57-byte PNG declaring 100000 x 100000 RGB pixels (30 GB decoded): refused from its header alone. */
    @Test
    void pngBombIsRejectedFromItsHeaderBeforeDecoding() throws Exception {
        byte[] bomb = png(100_000, 100_000, 8, 2, new byte[] {0});
        assertTrue(bomb.length < 100, "crafted bomb is " + bomb.length + " bytes");
        ImageRejectedException e = rejected(bomb, "bomb.png");
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("bomb.png: 100000x100000 = 10000000000 pixels, allowed at most 50000000", e.getMessage());
    }

    @Test
    void jpegBombIsRejectedFromItsFrameHeader() {
        byte[] bomb = jpegHeaderOnly(0xC0, 8, 60_000, 60_000);
        ImageRejectedException e = rejected(bomb, "bomb.jpg");
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("bomb.jpg: 60000x60000 = 3600000000 pixels, allowed at most 50000000", e.getMessage());
    }

    @Test
    void pixelAndByteLimitsAreConfigurable() throws Exception {
        byte[] rocket = Fixtures.bytes("rocket.jpg");
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> new ImageDecoder(new DecodeLimits(1 << 20, 640 * 427 - 1)).decode(rocket, "cam-1"));
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("cam-1: 640x427 = 273280 pixels, allowed at most 273279", e.getMessage());
        assertNotNull(new ImageDecoder(new DecodeLimits(1 << 20, 640 * 427)).decode(rocket, "cam-1"));

        e = assertThrows(ImageRejectedException.class,
                () -> new ImageDecoder(new DecodeLimits(100_000, 50_000_000)).decode(rocket, "cam-1"));
        assertEquals(ImageRejectedException.Reason.TOO_LARGE, e.reason());
        assertEquals("cam-1: 112525 bytes, allowed at most 100000", e.getMessage());
    }

    @Test
    void fileSizeIsCheckedBeforeReading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.jpg");
        Files.write(file, Fixtures.bytes("rocket.jpg"));
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> new ImageDecoder(new DecodeLimits(1000, 50_000_000)).decode(file));
        assertEquals(ImageRejectedException.Reason.TOO_LARGE, e.reason());
        assertEquals(file + ": 112525 bytes, allowed at most 1000", e.getMessage());
        assertEquals(640, decoder.decode(file).getWidth());
    }

    @Test
    void decodeLimitsValidate() {
        assertEquals("maxBytes is 0, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(0, 1)).getMessage());
        assertEquals("maxPixels is -5, allowed >= 1",
                assertThrows(IllegalArgumentException.class, () -> new DecodeLimits(1, -5)).getMessage());
    }

    // ---- the camera path: decodeReusing ----

    @Test
    void colourJpegStreamDecodesIntoTheSameMemoryWithTheSamePixels() throws Exception {
        byte[] jpeg = Fixtures.bytes("coffee.jpg");
        BufferedImage first = decoder.decodeReusing(jpeg, "a", null);
        assertEquals(InterleavedRgb.Order.RGB, InterleavedRgb.orderOf(first));
        assertArrayEquals(pixels(decoder.decode(jpeg, "a")), rgb(first));

        byte[] progressive = Fixtures.bytes("chelsea_progressive.jpg");
        BufferedImage other = decoder.decodeReusing(progressive, "b", first);
        org.junit.jupiter.api.Assertions.assertNotSame(first, other, "a frame of another size gets its own image");
        assertArrayEquals(pixels(decoder.decode(progressive, "b")), rgb(other));

        BufferedImage again = decoder.decodeReusing(jpeg, "c", first);
        assertSame(first, again, "a frame of the same size is decoded into the given image");
        assertArrayEquals(pixels(decoder.decode(jpeg, "c")), rgb(again));
    }

    @ParameterizedTest
    @ValueSource(strings = {"camera_grey.jpg", "coffee_cmyk.jpg", "coffee_ycck.jpg", "astronaut_exif6.jpg",
        "chelsea_palette.png", "motorcycle_alpha.png", "rgb565.bmp"})
    void otherImagesTakeTheGeneralPath(String name) throws Exception {
        byte[] data = Fixtures.bytes(name);
        BufferedImage previous = decoder.decodeReusing(Fixtures.bytes("coffee.jpg"), "coffee", null);
        BufferedImage image = decoder.decodeReusing(data, name, previous);
        org.junit.jupiter.api.Assertions.assertNotSame(previous, image);
        assertArrayEquals(pixels(decoder.decode(data, name)), pixels(image));
    }

    @Test
    void reusingDecodeRejectsWhatDecodeRejects() {
        byte[] jpeg = Fixtures.bytes("coffee.jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        assertEquals("coffee.jpg: truncated JPEG (Corrupt JPEG data: premature end of data segment)",
                assertThrows(ImageRejectedException.class, () -> decoder.decodeReusing(cut, "coffee.jpg", null))
                        .getMessage());
        assertEquals("empty: empty (0 bytes)", assertThrows(ImageRejectedException.class,
                () -> decoder.decodeReusing(new byte[0], "empty", null)).getMessage());
        ImageDecoder small = new ImageDecoder(new DecodeLimits(DecodeLimits.DEFAULT.maxBytes(), 1000));
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, assertThrows(ImageRejectedException.class,
                () -> small.decodeReusing(jpeg, "big", null)).reason());
    }

    // ---- truncated, empty, non-image, unsupported ----

    @Test
    void truncatedJpegIsRejectedAlthoughImageIoWouldFillItWithGrey() throws Exception {
        byte[] jpeg = Fixtures.bytes("coffee.jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);
        // What the check protects against: ImageIO decodes the cut file without any error.
        BufferedImage silentlyFilled = ImageIO.read(new ByteArrayInputStream(cut));
        assertEquals(600, silentlyFilled.getWidth());

        ImageRejectedException e = rejected(cut, "coffee.jpg");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertEquals("coffee.jpg: corrupt JPEG: truncated: no end-of-image marker (EOI) after the image data ("
                + cut.length + " bytes)", e.getMessage());
    }

    /** Cut scan data followed by an EOI: the structure looks complete, the decoder's warning gives it away. */
    @Test
    void jpegWithMissingScanDataIsRejectedFromTheDecoderWarning() {
        byte[] jpeg = Fixtures.bytes("coffee.jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        ImageRejectedException e = rejected(cut, "coffee.jpg");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertEquals("coffee.jpg: truncated JPEG (Corrupt JPEG data: premature end of data segment)",
                e.getMessage());
    }

    @Test
    void jpegWithBytesAfterItsEndIsAccepted() throws Exception {
        byte[] jpeg = Fixtures.bytes("coffee.jpg");
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100); // some cameras append data after EOI
        assertArrayEquals(pixels(decoder.decode(jpeg, "a")), pixels(decoder.decode(padded, "b")));
    }

    /** USB webcams send MJPEG frames without Huffman tables (DHT); decoders must use the standard ones. */
    @Test
    void mjpegFrameWithoutHuffmanTablesDecodes() throws Exception {
        byte[] jpeg = Fixtures.bytes("coffee.jpg"); // written with libjpeg's standard tables
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(jpeg, 0, 2);
        int pos = 2;
        int dropped = 0;
        while ((jpeg[pos + 1] & 0xFF) != 0xDA) {
            int end = pos + 2 + (((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF));
            if ((jpeg[pos + 1] & 0xFF) == 0xC4) {
                dropped++;
            } else {
                frame.write(jpeg, pos, end - pos);
            }
            pos = end;
        }
        frame.write(jpeg, pos, jpeg.length - pos);
        assertTrue(dropped > 0, "coffee.jpg has DHT segments");
        assertArrayEquals(pixels(decoder.decode(jpeg, "a")), pixels(decoder.decode(frame.toByteArray(), "mjpeg")));
    }

    @Test
    void jpegCutInsideItsHeadersIsRejected() {
        byte[] jpeg = Fixtures.bytes("rocket.jpg");
        ImageRejectedException e = rejected(Arrays.copyOf(jpeg, 100), "rocket.jpg");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith("rocket.jpg: corrupt JPEG: truncated: segment 0xe2 at byte 20 "
                + "declares "), e.getMessage());
    }

    @Test
    void truncatedPngIsRejected() {
        byte[] png = Fixtures.bytes("chelsea.png");
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        ImageRejectedException e = rejected(cut, "chelsea.png");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().matches("chelsea\\.png: corrupt PNG: truncated: chunk 'IDAT' at byte \\d+ "
                + "declares \\d+ bytes, only \\d+ left"), e.getMessage());
    }

    @Test
    void truncatedBmpIsRejected() {
        byte[] bmp = Fixtures.bytes("coffee.bmp");
        ImageRejectedException e = rejected(Arrays.copyOf(bmp, 30_000), "coffee.bmp");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertEquals("coffee.bmp: corrupt BMP: truncated: 160x107 at 24 bits per pixel needs 51414 bytes, "
                + "the file has 30000", e.getMessage());
    }

    @Test
    void emptyInputIsRejected(@TempDir Path dir) throws Exception {
        ImageRejectedException e = rejected(new byte[0], "cam-7/frame-12");
        assertEquals(ImageRejectedException.Reason.EMPTY, e.reason());
        assertEquals("cam-7/frame-12: empty (0 bytes)", e.getMessage());

        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        e = assertThrows(ImageRejectedException.class, () -> decoder.decode(empty));
        assertEquals(empty + ": empty (0 bytes)", e.getMessage());
    }

    @Test
    void textFileIsRejectedAsNotAnImage() {
        ImageRejectedException e = rejected("hello world\n".getBytes(StandardCharsets.US_ASCII), "notes.txt");
        assertEquals(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertEquals("notes.txt: not an image (looks like text, starts with bytes 68 65 6c 6c 6f 20 77 6f), "
                + "allowed JPEG, PNG, BMP", e.getMessage());

        e = rejected(new byte[] {0, 1, 2}, "blob");
        assertEquals("blob: not an image (starts with bytes 00 01 02), allowed JPEG, PNG, BMP", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "tiff"})
    void otherImageFormatsAreRejectedByName(String format) throws Exception {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "ImageIO writes " + format);
        ImageRejectedException e = rejected(out.toByteArray(), "x." + format);
        assertEquals(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertEquals("x." + format + ": " + format.toUpperCase(Locale.ROOT)
                + " image, allowed JPEG, PNG, BMP", e.getMessage());
    }

    @Test
    void arithmeticCodedJpegIsRejectedAsUnsupported() {
        ImageRejectedException e = rejected(jpegHeaderOnly(0xC9, 8, 10, 10), "arith.jpg");
        assertEquals(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertEquals("arith.jpg: arithmetic-coded JPEG (SOF 0xc9), allowed baseline, extended, progressive or "
                + "lossless JPEG with 8-bit samples", e.getMessage());
    }

    @Test
    void jpegScanBeforeFrameHeaderIsCorrupt() {
        byte[] data = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, 1, 2, (byte) 0xFF, (byte) 0xD9};
        ImageRejectedException e = rejected(data, "x.jpg");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertEquals("x.jpg: corrupt JPEG: image scan at byte 2 before any frame header (SOF)", e.getMessage());
    }

    @Test
    void pngWithUndecodableImageDataIsCorrupt() throws Exception {
        byte[] bad = png(4, 4, 8, 2, new byte[] {1, 2, 3, 4, 5});
        ImageRejectedException e = rejected(bad, "bad.png");
        assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith("bad.png: corrupt PNG, cannot decode it ("), e.getMessage());
        assertNotNull(e.getCause());
    }

    // ---- orientation ----

    @Test
    void exifOrientation6DecodesRotatedClockwise() throws Exception {
        byte[] jpeg = Fixtures.bytes("astronaut_exif6.jpg");
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(jpeg)); // ignores the EXIF tag
        assertEquals(240, stored.getWidth());
        assertEquals(320, stored.getHeight());

        BufferedImage upright = decoder.decode(jpeg, "astronaut_exif6.jpg");
        assertEquals(320, upright.getWidth());
        assertEquals(240, upright.getHeight());
        int[] out = pixels(upright);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                // 90 degrees clockwise: the bottom-left stored pixel shows at the top left
                assertEquals(stored.getRGB(y, 319 - x) & 0xFFFFFF, out[y * 320 + x], "pixel " + x + "," + y);
            }
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyExifOrientationMatchesPilExifTranspose(int orientation) throws Exception {
        String name = "orientation" + orientation + ".png";
        String size = orientation >= 5 ? "5x7" : "7x5";
        BufferedImage image = decoder.decode(Fixtures.bytes(name), name);
        assertEquals(size, image.getWidth() + "x" + image.getHeight());
        assertArrayEquals(packed(Fixtures.bytes(name + "." + size + ".rgb")), pixels(image));
    }

    /**
     * PIL 9.4 also finds a PNG's orientation in an ImageMagick "Raw profile type exif" text chunk, and falls back
     * to tiff:Orientation in its XMP packet (plain or zlib-compressed iTXt).
     */
    @ParameterizedTest
    @ValueSource(strings = {"rawprofile_orientation6.png:5x7", "xmp_orientation8.png:5x7",
        "xmp_orientation3.png:7x5"})
    void pngOrientationFromTextChunksMatchesPil(String nameAndSize) throws Exception {
        String name = nameAndSize.split(":")[0];
        String size = nameAndSize.split(":")[1];
        BufferedImage image = decoder.decode(Fixtures.bytes(name), name);
        assertEquals(size, image.getWidth() + "x" + image.getHeight());
        assertArrayEquals(packed(Fixtures.bytes(name + "." + size + ".rgb")), pixels(image));
    }

    // ---- colour conversions ----

    @ParameterizedTest
    @ValueSource(strings = {"coffee_cmyk.jpg", "coffee_ycck.jpg"})
    void cmykAndYcckJpegsDecodeToPilsColours(String name) throws Exception {
        BufferedImage image = decoder.decode(Fixtures.bytes(name), name);
        assertEquals(300, image.getWidth());
        assertEquals(200, image.getHeight());
        assertArrayEquals(packed(Fixtures.gunzip(name + ".decoded.rgb.gz")), pixels(image));
    }

    @Test
    void greyscaleIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage grey = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) {
            grey.getRaster().setSample(x, 0, 0, x);
        }
        // Java2D's getRGB converts linear grey to sRGB: 100 reads back as something else.
        assertNotEquals(100, grey.getRGB(100, 0) & 0xFF);
        int[] out = pixels(decoder.decode(encode(grey, "png"), "grey.png"));
        for (int x = 0; x < 256; x++) {
            assertEquals(x * 0x010101, out[x], "grey " + x);
        }
        // greyscale JPEG too
        BufferedImage camera = decoder.decode(Fixtures.bytes("camera_grey.jpg"), "camera_grey.jpg");
        for (int p : pixels(camera)) {
            assertEquals(p & 0xFF, (p >> 8) & 0xFF);
            assertEquals(p & 0xFF, (p >> 16) & 0xFF);
        }
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByte() throws Exception {
        BufferedImage grey16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0x0000, 0x80FF, 0xFFFF});
        assertArrayEquals(new int[] {0, 0x808080, 0xFFFFFF}, pixels(decoder.decode(encode(grey16, "png"), "g16")));
    }

    /** PIL's convert("RGB") drops alpha: a fully transparent pixel keeps its stored colour. */
    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00C86432); // transparent (200, 100, 50)
        argb.setRGB(1, 0, 0x80C86432); // half transparent
        argb.setRGB(2, 0, 0xFF0A141E); // opaque
        assertArrayEquals(new int[] {0xC86432, 0xC86432, 0x0A141E},
                pixels(decoder.decode(encode(argb, "png"), "alpha.png")));
    }

    @Test
    void iccProfileIsIgnoredLikePil() throws Exception {
        // rocket.jpg carries an Adobe RGB (1998) profile; ImageIO alone converts it to sRGB, PIL does not.
        byte[] jpeg = Fixtures.bytes("rocket.jpg");
        assertNotSame(JpegContainer.withoutIccProfile(jpeg), jpeg);
        BufferedImage converted = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage stripped = ImageIO.read(new ByteArrayInputStream(JpegContainer.withoutIccProfile(jpeg)));
        int[] decoded = pixels(decoder.decode(jpeg, "rocket.jpg"));
        int differ = 0;
        for (int y = 0; y < 427; y++) {
            for (int x = 0; x < 640; x++) {
                assertEquals(stripped.getRGB(x, y) & 0xFFFFFF, decoded[y * 640 + x]);
                differ += (converted.getRGB(x, y) & 0xFFFFFF) != decoded[y * 640 + x] ? 1 : 0;
            }
        }
        assertTrue(differ > 10_000, "ImageIO's colour-managed decode differs in " + differ + " pixels");
    }

    @Test
    void bmpDecodes() throws Exception {
        BufferedImage bmp = decoder.decode(Fixtures.bytes("coffee.bmp"), "coffee.bmp");
        assertEquals(160, bmp.getWidth());
        assertEquals(107, bmp.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, bmp.getType());
    }

    @Test
    void sixteenBitBmpWidensLevelsLikePil() throws Exception {
        BufferedImage bmp = decoder.decode(Fixtures.bytes("rgb565.bmp"), "rgb565.bmp");
        assertEquals("32x64", bmp.getWidth() + "x" + bmp.getHeight());
        assertArrayEquals(packed(Fixtures.bytes("rgb565.bmp.32x64.rgb")), pixels(bmp));
    }

    /** One decoder shared by loader threads (as the trainer does) gives the same pixels as sequential decoding. */
    @Test
    void oneDecoderIsSafeToShareBetweenThreads() throws Exception {
        String[] names = {"coffee.jpg", "chelsea.png", "coffee_cmyk.jpg", "astronaut_exif6.jpg", "coffee.bmp",
            "chelsea_palette.png"};
        Map<String, int[]> expected = new HashMap<>();
        for (String name : names) {
            expected.put(name, pixels(decoder.decode(Fixtures.bytes(name), name)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String name = names[i % names.length];
                byte[] data = Fixtures.bytes(name);
                results.add(pool.submit(() -> Arrays.equals(expected.get(name), pixels(decoder.decode(data, name)))));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    // ---- helpers ----

    private static void assertNotSame(byte[] a, byte[] b) {
        assertTrue(a != b && a.length < b.length, "the ICC segments were removed");
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    /** A PNG with the given IHDR and {@code raw} as (deflated) image data; CRCs are valid. */
    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = {(byte) (width >>> 24), (byte) (width >>> 16), (byte) (width >>> 8), (byte) width,
            (byte) (height >>> 24), (byte) (height >>> 16), (byte) (height >>> 8), (byte) height,
            (byte) bitDepth, (byte) colourType, 0, 0, 0};
        chunk(out, "IHDR", ihdr);
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[256];
        int n = deflater.deflate(buffer);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(buffer, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        int n = data.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long c = crc.getValue();
        out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    }

    /** SOI, a frame header (three components), a scan header, two bytes of scan data and EOI: no real pixels. */
    static byte[] jpegHeaderOnly(int sofMarker, int precision, int width, int height) {
        return new byte[] {(byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) sofMarker, 0, 17, (byte) precision, (byte) (height >> 8), (byte) height,
            (byte) (width >> 8), (byte) width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
            (byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0,
            0x12, 0x34,
            (byte) 0xFF, (byte) 0xD9};
    }
}
