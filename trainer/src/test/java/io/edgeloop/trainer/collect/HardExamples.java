package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Prediction;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test hard examples: seeded blocky JPEG images and payloads around them. */
public final class HardExamples {

    public static final Instant CAPTURED = Instant.parse("2026-11-28T18:06:01.350Z");

    private HardExamples() {
    }

    /** A 32×32 image of 8×8 random grey blocks; different seeds give clearly different pictures. */
    public static BufferedImage image(long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                int g = random.nextInt(256);
                int rgb = (g << 16) | (g << 8) | g;
                for (int y = by * 8; y < by * 8 + 8; y++) {
                    for (int x = bx * 8; x < bx * 8 + 8; x++) {
                        image.setRGB(x, y, rgb);
                    }
                }
            }
        }
        return image;
    }

    public static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static byte[] jpeg(long seed) {
        return jpeg(image(seed), 0.9f);
    }

    public static HardExample example(String device, String camera, long seq, byte[] jpeg) {
        return new HardExample(1, device, camera, seq, CAPTURED.plusMillis(seq * 100),
                ModelRef.of("fashion", "2026.11.28-1"), HardExampleReason.MARGIN,
                List.of(new Prediction("sneaker", 0.41), new Prediction("sandal", 0.38)),
                Base64.getEncoder().encodeToString(jpeg), Sha256.hex(jpeg));
    }

    public static byte[] payload(String device, String camera, long seq, byte[] jpeg) {
        return Payloads.encode(example(device, camera, seq, jpeg));
    }
}
