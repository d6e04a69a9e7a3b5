package io.edgeloop.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.testing.Images;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thumbnails and hard examples are encoded from the frame as stage 1 decoded it, which for colour JPEGs is the
 * interleaved-RGB layout of {@link ImageDecoder#decodeReusing}: both the scaled and the unscaled path must encode it
 * with the right colours.
 */
class FrameJpegTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 64})
    void streamDecodedFramesEncodeWithTheirColours(int maxSide) throws Exception {
        BufferedImage scene = Images.halves(160, 120, new Color(200, 30, 40), new Color(20, 60, 210));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(scene, "jpeg", jpeg);
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        BufferedImage frame = decoder.decodeReusing(jpeg.toByteArray(), "cam", null);
        assertEquals(BufferedImage.TYPE_CUSTOM, frame.getType(), "the camera path's layout");

        BufferedImage back = ImageIO.read(new ByteArrayInputStream(CameraWorker.jpeg(frame, maxSide, 90)));
        assertEquals(Math.min(160, maxSide), back.getWidth());
        Color left = new Color(back.getRGB(back.getWidth() / 4, back.getHeight() / 2));
        Color right = new Color(back.getRGB(back.getWidth() * 3 / 4, back.getHeight() / 2));
        assertTrue(Math.abs(left.getRed() - 200) < 12 && Math.abs(left.getBlue() - 40) < 12, "left is red: " + left);
        assertTrue(Math.abs(right.getRed() - 20) < 12 && Math.abs(right.getBlue() - 210) < 12,
                "right is blue: " + right);
    }
}
