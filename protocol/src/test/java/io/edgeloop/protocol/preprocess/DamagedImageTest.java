package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded damage (truncation, flipped bytes, overwritten headers) to real files: every outcome must be either a
 * usable image or an {@link ImageRejectedException}; nothing else may escape, hang, or exhaust memory. This is what
 * keeps a camera feed with a bad frame from stopping the agent.
 */
class DamagedImageTest {

    private static final int MUTATIONS = 60;

    @ParameterizedTest
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @ValueSource(strings = {"coffee.jpg", "astronaut_exif6.jpg", "coffee_cmyk.jpg", "chelsea_palette.png",
        "motorcycle_alpha.png", "coffee.bmp", "chelsea.png"})
    void damagedFilesAreDecodedOrRejectedNeverThrowOtherwise(String name) {
        byte[] original = Fixtures.bytes(name);
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(16L << 20, 4_000_000));
        ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.imagenet(146, 128));
        FloatBuffer out = FloatBuffer.allocate(preprocessor.spec().tensorLength());
        Random random = new Random(name.hashCode());
        Map<ImageRejectedException.Reason, Integer> outcomes = new EnumMap<>(ImageRejectedException.Reason.class);
        int decoded = 0;
        BufferedImage reused = null;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] damaged = damage(original, random, i % 4);
            String source = name + "#" + i;
            try {
                BufferedImage image = decoder.decode(damaged, source);
                assertEquals(BufferedImage.TYPE_INT_RGB, image.getType(), source);
                out.clear();
                preprocessor.preprocess(image, out);
                decoded++;
                // the camera path, into the last frame's memory, must see exactly the same pixels
                reused = decoder.decodeReusing(damaged, source, reused);
                assertArrayEquals(ImageDecoderTest.rgb(image), ImageDecoderTest.rgb(reused), source);
            } catch (ImageRejectedException e) {
                BufferedImage target = reused;
                ImageRejectedException again = assertThrows(ImageRejectedException.class,
                        () -> decoder.decodeReusing(damaged, source, target), source);
                assertEquals(e.getMessage(), again.getMessage(), source);
                assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
                outcomes.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                fail(source + " (mutation kind " + i % 4 + ") escaped as " + e, e);
            }
        }
        assertTrue(outcomes.values().stream().mapToInt(Integer::intValue).sum() > 0,
                name + ": no damaged variant was rejected, " + decoded + " decoded");
    }

    private static byte[] damage(byte[] original, Random random, int kind) {
        switch (kind) {
            case 0 -> {
                return Arrays.copyOf(original, 1 + random.nextInt(original.length - 1));
            }
            case 1 -> {
                byte[] copy = original.clone();
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return copy;
            }
            case 2 -> {
                byte[] copy = original.clone();
                int headerEnd = Math.min(copy.length, 64);
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    copy[2 + random.nextInt(headerEnd - 2)] = (byte) random.nextInt(256);
                }
                return copy;
            }
            default -> {
                byte[] copy = original.clone();
                int at = random.nextInt(copy.length);
                int len = Math.min(copy.length - at, 1 + random.nextInt(512));
                Arrays.fill(copy, at, at + len, (byte) (random.nextBoolean() ? 0xFF : 0x00));
                return copy;
            }
        }
    }
}
