package io.edgeloop.agent.cli;

import static io.edgeloop.agent.cli.AgentRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.agent.testing.Images;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge-agent bench} on the tiny colour model with real ONNX Runtime and real decoding. */
class BenchCommandTest {

    private static final Pattern ROW = Pattern.compile(
            "(fp32|int8) +(\\d+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +([\\d.]+)");

    @TempDir
    Path tmp;


    @Test
    void measuresEveryThreadCountOfBothPackagesAndPrintsTheProfileSettingsIn80Columns() throws Exception {
        Path fp32 = ColourModel.write(tmp.resolve("colour.onnx"), false);
        Path int8 = ColourModel.write(tmp.resolve("colour-int8.onnx"), false);
        Path images = tmp.resolve("images");
        Images.write(images.resolve("red.png"), Color.RED, "png");
        Images.write(images.resolve("blue.jpg"), Color.BLUE, "jpg");
        Images.write(images.resolve("green.bmp"), Color.GREEN, "bmp");
        Files.writeString(images.resolve("notes.txt"), "not an image, skipped");

        AgentRun r = run("bench", "--model", fp32.toString(), "--int8", int8.toString(), "--images", images.toString(),
                "--threads", "2", "--frames", "20", "--warmup", "2");

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        for (String line : lines) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
        assertTrue(lines.get(0).startsWith("model colour.onnx (no card: ImageNet preprocessing assumed, 32x32,"
                + " 3 classes)"), r.out());
        assertEquals("images 3 from " + images, lines.get(1), r.out());
        List<String> rows = lines.stream().filter(l -> ROW.matcher(l).matches()).toList();
        assertEquals(4, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("fp32          1"), r.out());
        assertTrue(rows.get(3).startsWith("int8          2"), r.out());
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            assertTrue(m.matches());
            double prepare = Double.parseDouble(m.group(3));
            double infer = Double.parseDouble(m.group(4));
            double frame = Double.parseDouble(m.group(5));
            double perSecond = Double.parseDouble(m.group(6));
            // the colour model is a handful of operators on 32x32: its inference can take under 5 us, printed 0.00
            assertTrue(prepare > 0 && infer >= 0 && frame >= Math.max(prepare, infer) * 0.5, row);
            assertTrue(perSecond > 0 && perSecond < 1e6, row);
        }
        // the same model twice: the classes agree on every image
        assertTrue(r.out().contains("top-1 agreement 100.0 % of 3 images"), r.out());
        assertTrue(r.out().contains("Settings for the profile"), r.out());
        assertTrue(r.out().contains("    intraOpThreads: "), r.out());
        assertTrue(r.out().contains("  model.path: "), r.out());
    }

    @Test
    void withoutImagesItDecodesSyntheticCameraFrames() throws Exception {
        Path fp32 = ColourModel.write(tmp.resolve("colour.onnx"), false);

        AgentRun r = run("bench", "--model", fp32.toString(), "--threads", "1", "--frames", "5", "--warmup", "0");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("images 20 synthetic 640x480 JPEGs\n"), r.out());
        assertEquals(1, r.out().lines().filter(l -> ROW.matcher(l).matches()).count(), r.out());
        assertTrue(r.out().contains("    intraOpThreads: 1\n"), r.out());
    }

    @Test
    void badOptionsAndFilesExitWith2NamingWhatIsAllowed() throws Exception {
        Path fp32 = ColourModel.write(tmp.resolve("colour.onnx"), false);
        AgentRun threads = run("bench", "--model", fp32.toString(), "--threads", "0");
        assertEquals(2, threads.code());
        assertEquals("edge-agent bench: --threads is 0, allowed 1..64", threads.err().lines().findFirst()
                .orElseThrow());
        AgentRun frames = run("bench", "--model", fp32.toString(), "--frames", "0");
        assertEquals(2, frames.code());
        assertTrue(frames.err().startsWith("edge-agent bench: --frames is 0, allowed >= 1"), frames.err());
        AgentRun missing = run("bench", "--model", tmp.resolve("none.onnx").toString());
        assertEquals(2, missing.code());
        assertEquals("edge-agent bench: --model is '" + tmp.resolve("none.onnx") + "': no such file, allowed an"
                + " ONNX model package\n", missing.err());
        AgentRun noImages = run("bench", "--model", fp32.toString(), "--images", tmp.resolve("empty").toString());
        assertEquals(2, noImages.code());
        assertTrue(noImages.err().contains("no such folder, allowed a folder of JPEG, PNG or BMP images"),
                noImages.err());
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.write(broken.resolve("cut.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        AgentRun corrupt = run("bench", "--model", fp32.toString(), "--images", broken.toString(), "--threads", "1");
        assertEquals(2, corrupt.code(), corrupt.err());
        assertTrue(corrupt.err().startsWith("edge-agent bench: --images: image 0: "), corrupt.err());
        AgentRun notAModel = run("bench", "--model", broken.resolve("cut.jpg").toString());
        assertEquals(1, notAModel.code(), notAModel.err());
        assertTrue(notAModel.err().contains("cut.jpg"), notAModel.err());
    }
}
