package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Colour is measured on decoded pixels: grey stays grey even when stored as a colour JPEG. */
class ColourSpreadTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    @Test
    void greyImagesAreGreyInAnyFileFormat(@TempDir Path dir) throws Exception {
        Random random = new Random(1);
        BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage greyAsRgb = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int v = Math.min(255, 3 * x + random.nextInt(40));
                grey.getRaster().setSample(x, y, 0, v);
                greyAsRgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Path png = dir.resolve("grey.png");
        Path jpg = dir.resolve("grey-rgb.jpg");
        ImageIO.write(grey, "png", png.toFile());
        ImageIO.write(greyAsRgb, "jpg", jpg.toFile());
        assertEquals(0.0, ColourSpread.of(decoder.decode(png)));
        double jpeg = ColourSpread.of(decoder.decode(jpg));
        assertTrue(jpeg < 1.0, "a grey RGB JPEG measures " + jpeg);
        assertFalse(ColourSpread.hasColour(decoder.decode(jpg)));
    }

    @Test
    void colourImagesHaveColourEvenWhenMuted(@TempDir Path dir) throws Exception {
        Path stripes = dir.resolve("stripes.jpg");
        ImageIO.write(TestImages.image(0, 40, 40, new Random(2)), "jpg", stripes.toFile());
        assertTrue(ColourSpread.of(decoder.decode(stripes)) > 40);
        BufferedImage sepia = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                int v = 60 + 4 * x;
                sepia.setRGB(x, y, (v << 16) | ((int) (0.85 * v) << 8) | (int) (0.7 * v));
            }
        }
        Path muted = dir.resolve("sepia.jpg");
        ImageIO.write(sepia, "jpg", muted.toFile());
        double spread = ColourSpread.of(decoder.decode(muted));
        assertTrue(spread > 3 * ColourSpread.COLOUR_LEVELS, "sepia measures " + spread);
    }

    @Test
    void aSampleCountsColourAndSizesOverTheClasses(@TempDir Path dir) throws Exception {
        TestImages.writeDataset(dir, new String[] {"a", "b"}, new int[] {10, 10}, 96, 3);
        BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        Files.createDirectories(dir.resolve("c"));
        for (int i = 0; i < 10; i++) {
            ImageIO.write(grey, "png", dir.resolve("c/g" + i + ".png").toFile());
        }
        Files.write(dir.resolve("c/broken.png"), new byte[] {1, 2, 3});
        DataAppearance all = DataAppearance.measure(ImageFolder.scan(dir).samples(), decoder);
        assertEquals(DataAppearance.SAMPLE, all.sampled() + all.unreadable());
        assertEquals(16, all.colour(), all.toString()); // 8 of a, 8 of b: spread evenly over 31 files
        assertEquals(96, all.medianShortSide());
        assertTrue(all.mostlyColour());
        DataAppearance greyOnly = DataAppearance.measure(ImageFolder.scan(dir).samples().subList(20, 31), decoder);
        assertEquals(10, greyOnly.sampled());
        assertEquals(1, greyOnly.unreadable());
        assertTrue(greyOnly.allGrey());
        assertEquals(20, greyOnly.medianShortSide());
    }
}
