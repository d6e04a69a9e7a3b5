package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DifferenceHashTest {

    @Test
    void reencodingKeepsTheHashAndAnotherPhotoChangesIt() throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        BufferedImage cat = decoder.decode(photo("chelsea.png"), "chelsea.png");
        BufferedImage coffee = decoder.decode(photo("coffee.bmp"), "coffee.bmp");

        long a = DifferenceHash.of(cat);
        assertTrue(DifferenceHash.distance(a, DifferenceHash.of(jpegRoundTrip(cat))) <= 2, "JPEG moved the hash");
        assertTrue(DifferenceHash.distance(a, DifferenceHash.of(coffee)) > 10, "two photos hash alike");
    }

    /** The array fast paths (INT_RGB, the BGR frames of the camera path) hash exactly as the getRGB path does. */
    @Test
    void everyImageTypeHashesLikeTheReference() throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        for (String name : new String[] {"coffee.jpg", "chelsea_progressive.jpg", "rocket.jpg"}) {
            BufferedImage intRgb = decoder.decode(photo(name), name);
            BufferedImage interleaved = decoder.decodeReusing(photo(name), name, null);
            assertEquals(InterleavedRgb.Order.RGB, InterleavedRgb.orderOf(interleaved));
            BufferedImage bgr = new BufferedImage(intRgb.getWidth(), intRgb.getHeight(),
                    BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(intRgb, 0, 0, null);
            BufferedImage abgr = new BufferedImage(intRgb.getWidth(), intRgb.getHeight(),
                    BufferedImage.TYPE_4BYTE_ABGR);
            abgr.getGraphics().drawImage(intRgb, 0, 0, null);
            long expected = referenceHash(intRgb);
            assertEquals(expected, DifferenceHash.of(intRgb), name + " INT_RGB");
            assertEquals(expected, DifferenceHash.of(interleaved), name + " interleaved RGB bytes");
            assertEquals(expected, DifferenceHash.of(bgr), name + " 3BYTE_BGR");
            assertEquals(expected, DifferenceHash.of(abgr), name + " 4BYTE_ABGR (getRGB)");
            BufferedImage part = intRgb.getSubimage(10, 20, 200, 100);
            assertEquals(referenceHash(part), DifferenceHash.of(part), name + " sub-image");
        }
    }

    /** The definition, pixel by pixel through getRGB. */
    private static long referenceHash(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] sum = new double[72];
        double[] count = new double[72];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int cell = (int) ((long) y * 8 / h) * 9 + (int) ((long) x * 9 / w);
                sum[cell] += 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                count[cell] += 1;
            }
        }
        long hash = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                hash = (hash << 1) | (sum[y * 9 + x] / count[y * 9 + x] > sum[y * 9 + x + 1] / count[y * 9 + x + 1]
                        ? 1 : 0);
            }
        }
        return hash;
    }

    @Test
    void imagesNarrowerThanTheGridHaveNoSpuriousEdges() {
        BufferedImage narrow = new BufferedImage(4, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 4; x++) {
                narrow.setRGB(x, y, 0x808080);
            }
        }
        assertEquals(0L, DifferenceHash.of(narrow), "a flat image has no brighter-than-right cell");
        assertEquals("0000000000000000", DifferenceHash.hex(0L));
        assertEquals(64, DifferenceHash.distance(0L, -1L));
    }

    private static byte[] photo(String name) throws Exception {
        try (var in = DifferenceHashTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private static BufferedImage jpegRoundTrip(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }
}
