package io.edgeloop.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import io.edgeloop.protocol.testing.Fuzzer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Fuzz campaigns over protocol's parsers (see docs/reliability.md): JPEG/PNG/BMP decoding and preprocessing, and the
 * deploy command payloads the agent decodes. A few hundred cases each here; {@code -Dfuzz.cases=N} for more.
 */
class ProtocolFuzzTest {

    /** Decode limits a fuzz case stays within: a mutated header may declare up to 4 megapixels. */
    private static final DecodeLimits LIMITS = new DecodeLimits(1L << 20, 4_000_000, 64L << 20, "fuzz budget");

    @Test
    void imageDecodingAndPreprocessingRejectOrAcceptEveryMutatedImage() throws Exception {
        ImageDecoder decoder = new ImageDecoder(LIMITS);
        PreprocessSpec spec = new PreprocessSpec(ResizePolicy.SHORTER_SIDE, 36, 32, List.of(0.485, 0.456, 0.406),
                List.of(0.229, 0.224, 0.225), 1.0 / 255.0, ColourOrder.RGB);
        ThreadLocal<ImagePreprocessor> preprocessors = ThreadLocal.withInitial(() -> new ImagePreprocessor(spec));
        Fuzzer.Report report = new Fuzzer("images", imageSeeds(), ProtocolFuzzTest::imageRejection).seed(15)
                .run(Fuzzer.cases(400), input -> {
                    FloatBuffer out = FloatBuffer.allocate(spec.tensorLength());
                    BufferedImage image = decoder.decodeReusing(input, "fuzz", null);
                    preprocessors.get().preprocess(image, out);
                });
        assertEquals(List.of(), report.failures(), report.summary());
        assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
    }

    @Test
    void deployCommandPayloadsRejectOrAcceptEveryMutatedMessage() throws Exception {
        Topics topics = new Topics("edgeloop");
        String topic = topics.deploy("gate-01");
        List<byte[]> seeds = new ArrayList<>();
        try (var files = Files.list(Path.of("../docs/schemas/examples"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("deploy-command")).sorted()
                    .toList()) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        Fuzzer.Report report = new Fuzzer("deploy-payloads", seeds,
                t -> t instanceof MessageRejectedException ? "MessageRejectedException" : null).seed(15)
                .run(Fuzzer.cases(400), input -> {
                    Payloads.decode(topics, topic, input).payloadAs(DeployCommand.class);
                });
        assertEquals(List.of(), report.failures(), report.summary());
        assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
    }

    /**
     * The decoder's documented rejection; the preprocessor's {@code IllegalArgumentException} for an aspect ratio
     * too extreme to resize is documented too ({@link ImagePreprocessor#preprocess}).
     */
    static String imageRejection(Throwable t) {
        if (t instanceof ImageRejectedException e) {
            return "ImageRejectedException/" + e.reason().name().toLowerCase(Locale.ROOT);
        }
        if (t instanceof IllegalArgumentException e && e.getMessage() != null
                && e.getMessage().contains("aspect ratio is too extreme")) {
            return "IllegalArgumentException/aspect-ratio";
        }
        return null;
    }

    /** Small JPEG, PNG and BMP images of several kinds, and the small EXIF fixtures. */
    static List<byte[]> imageSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_565_RGB};
        for (int type : types) {
            BufferedImage image = new BufferedImage(40, 30, type);
            var g = image.createGraphics();
            g.setColor(Color.ORANGE);
            g.fillRect(0, 0, 20, 30);
            g.setColor(Color.BLUE);
            g.fillRect(20, 0, 20, 30);
            g.dispose();
            for (String format : List.of("png", "jpeg", "bmp")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (ImageIO.write(image, format, out)) {
                    seeds.add(out.toByteArray());
                }
            }
        }
        for (String name : List.of("orientation6.png", "rawprofile_orientation6.png", "xmp_orientation3.png",
                "astronaut_exif6.jpg", "coffee_cmyk.jpg")) {
            try (InputStream in = ProtocolFuzzTest.class.getResourceAsStream("/images/" + name)) {
                seeds.add(in.readAllBytes());
            }
        }
        return seeds;
    }
}
