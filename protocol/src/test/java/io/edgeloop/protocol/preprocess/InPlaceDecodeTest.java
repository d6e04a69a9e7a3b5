package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.protocol.testing.BmpFiles;
import io.edgeloop.protocol.testing.BmpFiles.Layout;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The camera path's in-place decoding of RGB PNGs and uncompressed BMPs ({@link ImageDecoder#decodeReusing},
 * {@link BmpPixels}) gives the pixels that were written and that the general ImageIO path gives, rejects what the
 * general path rejects with the same message, and keeps to the decode memory budget.
 */
class InPlaceDecodeTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    /** Seeded random {@code 0xRRGGBB} pixels, top row first. */
    private static int[] randomPixels(int width, int height, long seed) {
        Random random = new Random(seed);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(1 << 24);
        }
        return rgb;
    }

    static Stream<Arguments> bmpLayouts() {
        int[] odd = {0x00FF00, 0x0000FF, 0xFF0000, 0};
        return Stream.of(
                Arguments.of("24-bit bottom-up", Layout.plain(24, false), true),
                Arguments.of("24-bit top-down", Layout.plain(24, true), true),
                Arguments.of("32-bit BI_RGB, padding byte 0x5A", new Layout(32, false, 40, BmpFiles.BI_RGB,
                        Layout.STANDARD_MASKS, 0x5A), true),
                Arguments.of("32-bit BI_RGB top-down", new Layout(32, true, 40, BmpFiles.BI_RGB,
                        Layout.STANDARD_MASKS, 0), true),
                Arguments.of("32-bit bitfields after a 40-byte header", new Layout(32, false, 40,
                        BmpFiles.BI_BITFIELDS, Layout.STANDARD_MASKS, 0xFF), true),
                Arguments.of("32-bit V4 header, bitfields, alpha 0x80", new Layout(32, false, 108,
                        BmpFiles.BI_BITFIELDS, Layout.STANDARD_MASKS, 0x80), true),
                Arguments.of("32-bit V5 header, top-down", new Layout(32, true, 124, BmpFiles.BI_BITFIELDS,
                        Layout.STANDARD_MASKS, 0xFF), true),
                Arguments.of("24-bit V5 header", new Layout(24, false, 124, BmpFiles.BI_RGB,
                        Layout.STANDARD_MASKS, 0), true),
                Arguments.of("32-bit bitfields, other masks (general reader)", new Layout(32, false, 40,
                        BmpFiles.BI_BITFIELDS, odd, 0), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bmpLayouts")
    void bmpRowsAreReadStraightIntoTheFrameWithTheWrittenPixels(String name, Layout layout, boolean inPlace)
            throws Exception {
        // odd widths: rows padded with 1, 2 or 3 bytes at 24 bits; a 1-pixel column; a 1-pixel row
        for (int[] size : new int[][] {{33, 17}, {1, 5}, {7, 1}, {2, 3}, {640, 480}}) {
            int w = size[0];
            int h = size[1];
            int[] written = randomPixels(w, h, 31L * w + h);
            byte[] bmp = BmpFiles.write(written, w, h, layout);
            String source = name + " " + w + "x" + h;
            BufferedImage general = decoder.decode(bmp, source);
            BufferedImage fast = decoder.decodeReusing(bmp, source, null);
            int[] expected = layout.masks()[0] == 0xFF0000 ? written : swapRedBlue(written);
            // (the general reader's TYPE_INT_RGB ints of a 32-bit BMP keep the fourth byte in their unused top byte,
            // which every reader of them masks off: compare the colours)
            assertEquals(BufferedImage.TYPE_INT_RGB, general.getType());
            assertArrayEquals(expected, ImageDecoderTest.rgb(general), source + ": general reader");
            assertArrayEquals(expected, ImageDecoderTest.rgb(fast), source + ": camera path");
            assertEquals(inPlace, InterleavedRgb.orderOf(fast) == InterleavedRgb.Order.RGB, source);
            assertEquals(inPlace, BmpPixels.of(bmp, BmpContainer.read(bmp, source)) != null, source);
        }
    }

    @Test
    void aBmpStreamDecodesIntoTheSameMemory() throws Exception {
        byte[] first = BmpFiles.write(randomPixels(35, 20, 1), 35, 20, Layout.plain(24, false));
        int[] secondPixels = randomPixels(35, 20, 2);
        byte[] second = BmpFiles.write(secondPixels, 35, 20, Layout.plain(32, true));
        BufferedImage frame = decoder.decodeReusing(first, "a", null);
        BufferedImage again = decoder.decodeReusing(second, "b", frame);
        assertSame(frame, again, "a frame of the same size is decoded into the given image");
        assertArrayEquals(secondPixels, ImageDecoderTest.rgb(again));
        BufferedImage other = decoder.decodeReusing(BmpFiles.write(randomPixels(36, 20, 3), 36, 20,
                Layout.plain(24, false)), "c", again);
        assertNotSame(again, other, "a frame of another size gets its own image");
    }

    @Test
    void rgbPngsDecodeInPlaceWithTheGeneralReadersPixels() throws Exception {
        int w = 97;
        int h = 41;
        int[] written = randomPixels(w, h, 7);
        BufferedImage source = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        source.setRGB(0, 0, w, h, written, 0, w);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(source, "png", out);
        byte[] png = out.toByteArray();
        BufferedImage previous = decoder.decodeReusing(png, "first", null);
        BufferedImage frame = decoder.decodeReusing(png, "cam/frame.png", previous);
        assertSame(previous, frame);
        assertEquals(InterleavedRgb.Order.RGB, InterleavedRgb.orderOf(frame));
        assertArrayEquals(written, ImageDecoderTest.rgb(frame));
        assertArrayEquals(ints(decoder.decode(png, "cam/frame.png")), ImageDecoderTest.rgb(frame));
        // the fixture photo (RGB PNG) too
        byte[] chelsea = Fixtures.bytes("chelsea.png");
        BufferedImage photo = decoder.decodeReusing(chelsea, "chelsea.png", null);
        assertEquals(InterleavedRgb.Order.RGB, InterleavedRgb.orderOf(photo));
        assertArrayEquals(ints(decoder.decode(chelsea, "chelsea.png")), ImageDecoderTest.rgb(photo));
    }

    @Test
    void damagedFilesGetTheGeneralPathsMessage() throws Exception {
        byte[] bmp = BmpFiles.write(randomPixels(33, 17, 5), 33, 17, Layout.plain(24, false));
        byte[] cut = Arrays.copyOf(bmp, bmp.length - 10);
        ImageRejectedException general = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut, "c"));
        assertEquals("c: corrupt BMP: truncated: 33x17 at 24 bits per pixel needs 1754 bytes, the file has 1744",
                general.getMessage());
        assertEquals(general.getMessage(), assertThrows(ImageRejectedException.class,
                () -> decoder.decodeReusing(cut, "c", null)).getMessage());

        // a PNG whose image data does not inflate: the in-place read fails, the general path names the failure
        int w = 64;
        int h = 48;
        BufferedImage source = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        source.setRGB(0, 0, w, h, randomPixels(w, h, 9), 0, w);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(source, "png", out);
        byte[] png = out.toByteArray();
        int idat = indexOf(png, "IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = idat + 6; i < idat + 40; i++) {
            png[i] = (byte) 0xEE;
        }
        ImageRejectedException pngGeneral = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(png, "p.png"));
        assertEquals(ImageRejectedException.Reason.CORRUPT, pngGeneral.reason());
        BufferedImage reuse = InterleavedRgb.create(w, h);
        assertEquals(pngGeneral.getMessage(), assertThrows(ImageRejectedException.class,
                () -> decoder.decodeReusing(png, "p.png", reuse)).getMessage());
    }

    @Test
    void inPlaceBmpsAreBudgetedAsInPlaceBeforeAnythingIsAllocated() throws Exception {
        int w = 200;
        int h = 100;
        byte[] bmp = BmpFiles.write(randomPixels(w, h, 11), w, h, Layout.plain(24, false));
        long pixels = (long) w * h;
        // in place: raster 3 + rgb 0 + resample 3 bytes per pixel; the general path's 3 + 4 + 3
        ImageDecoder justInPlace = new ImageDecoder(DecodeLimits.DEFAULT.withMaxDecodeMemory(6 * pixels, "test"));
        BufferedImage image = justInPlace.decodeReusing(bmp, "cam", null);
        assertEquals(InterleavedRgb.Order.RGB, InterleavedRgb.orderOf(image));
        assertEquals("cam: 200x100 BMP would need 200000 bytes to decode (raster 3 + rgb 4 + resample 3 bytes per"
                + " pixel), over the decode memory budget of 120000 bytes (test)",
                assertThrows(ImageRejectedException.class, () -> justInPlace.decode(bmp, "cam")).getMessage());
        ImageDecoder under = new ImageDecoder(DecodeLimits.DEFAULT.withMaxDecodeMemory(6 * pixels - 1, "test"));
        assertEquals("cam: 200x100 BMP would need 120000 bytes to decode (raster 3 + rgb 0 + resample 3 bytes per"
                + " pixel), over the decode memory budget of 119999 bytes (test)",
                assertThrows(ImageRejectedException.class, () -> under.decodeReusing(bmp, "cam", null)).getMessage());
        // a layout the fast path declines is budgeted as the general path it takes
        byte[] odd = BmpFiles.write(randomPixels(w, h, 12), w, h, new Layout(32, false, 40, BmpFiles.BI_BITFIELDS,
                new int[] {0xFF00, 0xFF, 0xFF0000, 0}, 0));
        ImageDecoder generous = new ImageDecoder(DecodeLimits.DEFAULT.withMaxDecodeMemory(7 * pixels, "test"));
        assertEquals(ImageRejectedException.Reason.OVER_MEMORY_BUDGET, assertThrows(ImageRejectedException.class,
                () -> generous.decodeReusing(odd, "odd", null)).reason());
    }

    private static int[] ints(BufferedImage image) {
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    private static int[] swapRedBlue(int[] rgb) {
        // the "other masks" layout reads the stored B byte as green, G as red and R as blue
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int r = (rgb[i] >> 16) & 0xFF;
            int g = (rgb[i] >> 8) & 0xFF;
            int b = rgb[i] & 0xFF;
            out[i] = (g << 16) | (b << 8) | r;
        }
        return out;
    }

    private static int indexOf(byte[] data, byte[] what) throws IOException {
        for (int i = 0; i + what.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new IOException("no " + new String(what, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
