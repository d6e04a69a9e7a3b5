package io.edgeloop.trainer.labelling;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small seeded inbox of shape pictures (circle, square, triangle on noise) from two cameras, with top-k guesses of
 * varying certainty and every reason, beside a training tree with a folder per class.
 */
final class LabellingFixture {

    static final List<String> CLASSES = List.of("circle", "square", "triangle");
    static final Instant CAPTURED = Instant.parse("2026-12-01T09:00:00Z");

    final Path inbox;
    final Path data;
    /** The true shape of each example, by id. */
    final java.util.Map<String, String> truth = new java.util.LinkedHashMap<>();
    /** The JPEG the device sent for each example, by id. */
    final java.util.Map<String, byte[]> jpegs = new java.util.LinkedHashMap<>();

    private LabellingFixture(Path inbox, Path data) {
        this.inbox = inbox;
        this.data = data;
    }

    /** {@code count} examples in {@code dir/inbox}, the tree in {@code dir/train}. */
    static LabellingFixture create(Path dir, int count) throws IOException {
        LabellingFixture f = new LabellingFixture(dir.resolve("inbox"), dir.resolve("train"));
        for (String c : CLASSES) {
            Files.createDirectories(f.data.resolve(c));
        }
        Inbox inbox = Inbox.open(f.inbox);
        Random random = new Random(11);
        HardExampleReason[] reasons = HardExampleReason.values();
        for (int i = 0; i < count; i++) {
            String shape = CLASSES.get(i % CLASSES.size());
            byte[] jpeg = HardExamples.jpeg(picture(shape, random), 0.85f);
            String guess = random.nextInt(4) == 0 ? CLASSES.get((i + 1) % CLASSES.size()) : shape;
            String second = CLASSES.stream().filter(c -> !c.equals(guess)).toList().get(random.nextInt(2));
            double top1 = 0.4 + 0.5 * random.nextDouble();
            double top2 = Math.min((1 - top1) * (0.3 + 0.6 * random.nextDouble()), top1 - 0.005);
            String camera = i % 2 == 0 ? "door" : "till";
            HardExample example = new HardExample(1, "shop-1", camera, i, CAPTURED.plusSeconds(37L * i),
                    ModelRef.of("shapes", "2026.12.01-1"), reasons[i % reasons.length],
                    List.of(new Prediction(guess, top1), new Prediction(second, top2)),
                    Base64.getEncoder().encodeToString(jpeg), Sha256.hex(jpeg));
            InboxEntry e = inbox.store(example, jpeg, random.nextLong(), "edgeloop/shop-1/" + camera + "/hard",
                    CAPTURED.plusSeconds(37L * i + 1));
            f.truth.put(e.sidecar().id(), shape);
            f.jpegs.put(e.sidecar().id(), jpeg);
        }
        return f;
    }

    /** The ids, sorted. */
    List<String> ids() {
        return new ArrayList<>(new java.util.TreeSet<>(truth.keySet()));
    }

    /**
     * A replay tree in {@code dir} as the device would stream it: each example's picture as
     * {@code <label>/<id>.png}, under the label {@code labels} gives it (examples it leaves out have no ground truth).
     * PNG, so the bytes differ from the inbox's JPEG and only the pixels match.
     */
    Path replay(Path dir, java.util.Map<String, String> labels) throws IOException {
        for (java.util.Map.Entry<String, String> l : labels.entrySet()) {
            Path folder = Files.createDirectories(dir.resolve(l.getValue()));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpegs.get(l.getKey())));
            ImageIO.write(image, "png", folder.resolve(l.getKey() + ".png").toFile());
        }
        return dir;
    }

    private static BufferedImage picture(String shape, Random random) {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(40 + random.nextInt(60), 40 + random.nextInt(60), 40 + random.nextInt(60)));
        g.fillRect(0, 0, 96, 96);
        for (int k = 0; k < 60; k++) {
            int v = random.nextInt(90);
            g.setColor(new Color(v, v, v));
            g.fillRect(random.nextInt(96), random.nextInt(96), 3, 3);
        }
        g.setColor(Color.getHSBColor(random.nextFloat(), 0.7f, 0.95f));
        g.setStroke(new BasicStroke(3));
        int s = 40 + random.nextInt(30);
        int x = random.nextInt(96 - s);
        int y = random.nextInt(96 - s);
        switch (shape) {
            case "circle" -> g.fillOval(x, y, s, s);
            case "square" -> g.fillRect(x, y, s, s);
            default -> g.fillPolygon(new int[] {x, x + s, x + s / 2}, new int[] {y + s, y + s, y}, 3);
        }
        g.dispose();
        return image;
    }
}
