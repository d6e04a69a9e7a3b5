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
