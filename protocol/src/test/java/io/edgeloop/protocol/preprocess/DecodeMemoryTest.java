package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The decode memory budget: the heap a decode needs, from the header, against the budget, before any pixel. */
class DecodeMemoryTest {

    private static final long BUDGET = 96L << 20; // a quarter of the systemd unit's -Xmx384m

    private static ImageDecoder budgeted(long bytes) {
        return new ImageDecoder(DecodeLimits.DEFAULT.withMaxDecodeMemory(bytes, "set by inference.decodeMemoryBytes"));
    }

    @Test
    void aPngInsideThePixelLimitButOverTheBudgetIsRejectedFromItsHeaderNamingSizeBytesAndBudget() throws Exception {
        // the probe: 7000x7000 RGB (49 megapixels, inside the 50-megapixel limit); 58 bytes, no pixels
        byte[] header = ImageDecoderTest.png(7000, 7000, 8, 2, new byte[] {0});
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> budgeted(BUDGET).decode(header, "cam1/huge.png"));
        assertEquals(ImageRejectedException.Reason.OVER_MEMORY_BUDGET, e.reason());
        assertEquals("cam1/huge.png: 7000x7000 PNG would need 490000000 bytes to decode (raster 3 + rgb 4 + resample"
                + " 3 bytes per pixel), over the decode memory budget of 100663296 bytes (set by"
                + " inference.decodeMemoryBytes)", e.getMessage());
        // the camera path decodes an RGB PNG in place (no RGB copy), so its estimate is smaller, and still over
        assertEquals("cam1/huge.png: 7000x7000 PNG would need 294000000 bytes to decode (raster 3 + rgb 0 + resample"
                + " 3 bytes per pixel), over the decode memory budget of 100663296 bytes (set by"
                + " inference.decodeMemoryBytes)", assertThrows(ImageRejectedException.class,
                () -> budgeted(BUDGET).decodeReusing(header, "cam1/huge.png", null)).getMessage());
    }

    @Test
    void everyIntermediateCountsBytesPerPixel() {
        ImageHeader rgba16 = new ImageHeader(ImageFormat.PNG, 100, 10, ExifOrientation.TOP_LEFT, 0, -1, 64);
        assertEquals(8 + 4 + 3, DecodeMemory.of(rgba16, false).bytesPerPixel());
        assertEquals(15_000, DecodeMemory.of(rgba16, false).bytes());
        ImageHeader jpeg = new ImageHeader(ImageFormat.JPEG, 100, 10, ExifOrientation.TOP_LEFT, 3, -1, 24);
        assertEquals(3 + 0 + 3, DecodeMemory.of(jpeg, true).bytesPerPixel(), "decoded in place: no RGB copy");
        assertEquals(3 + 4 + 3, DecodeMemory.of(jpeg, false).bytesPerPixel());
        ImageHeader rotated = new ImageHeader(ImageFormat.JPEG, 100, 10, ExifOrientation.values()[5], 3, -1, 24);
        assertEquals(3 + 8 + 3, DecodeMemory.of(rotated, false).bytesPerPixel(), "the rotated copy counts too");
        ImageHeader oneBit = new ImageHeader(ImageFormat.BMP, 100, 10, ExifOrientation.TOP_LEFT, 0, -1, 1);
        assertEquals(1 + 4 + 3, DecodeMemory.of(oneBit, false).bytesPerPixel());
        ImageHeader absurd = new ImageHeader(ImageFormat.BMP, 100, 10, ExifOrientation.TOP_LEFT, 0, -1, 65535);
        assertEquals(8 + 4 + 3, DecodeMemory.of(absurd, false).bytesPerPixel(), "at most 8 bytes per raster pixel");
    }

    @Test
    void aFrameWithinTheBudgetDecodesAndTheDefaultIsAQuarterOfTheHeap() throws Exception {
        byte[] rocket = Fixtures.bytes("rocket.jpg"); // 640x427 colour JPEG: 6 bytes per pixel in place
        long inPlace = 640L * 427 * 6;
        BufferedImage image = budgeted(inPlace).decodeReusing(rocket, "cam", null);
        assertNotNull(image);
        assertEquals(ImageRejectedException.Reason.OVER_MEMORY_BUDGET, assertThrows(ImageRejectedException.class,
                () -> budgeted(inPlace).decode(rocket, "cam")).reason(), "decode() makes an RGB copy: 10 per pixel");
        assertEquals(Runtime.getRuntime().maxMemory() / 4, DecodeLimits.DEFAULT.maxDecodeMemory());
        assertTrue(DecodeLimits.DEFAULT.memorySource().endsWith("MiB maximum heap"),
                DecodeLimits.DEFAULT.memorySource());
        assertEquals("maxDecodeMemory is 0, allowed >= 1", assertThrows(IllegalArgumentException.class,
                () -> DecodeLimits.DEFAULT.withMaxDecodeMemory(0, "x")).getMessage());
    }
}
