package io.edgeloop.trainer.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed sample {@code data/fashion-mnist-target} is what its README's commands produce: same files, same
 * pixels. Needs Debian's dataset-fashion-mnist; skipped otherwise.
 */
class CommittedSampleTest {

    /** Surefire runs in the module directory; the sample lives at the repository root. */
    private static final Path SAMPLE = Path.of("").toAbsolutePath().getParent().resolve("data/fashion-mnist-target");

    @TempDir
    Path dir;

    @Test
    void readmeCommandsReproduceTheSample() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY),
                "dataset-fashion-mnist is not installed");
        Assumptions.assumeTrue(Files.isDirectory(SAMPLE), "no committed sample at " + SAMPLE);
        for (Map.Entry<FashionMnistSplit, Integer> run : Map.of(FashionMnistSplit.TRAIN, 40,
                FashionMnistSplit.TEST, 100).entrySet()) {
            String split = run.getKey().cliName();
            Path out = dir.resolve(split);
            FashionMnistExport.Summary summary = FashionMnistExport.export(FashionMnist.loadDebian(run.getKey()),
                    new FashionMnistExport.Options(FashionMnistTask.TARGET, run.getValue(), 42, out));
            assertEquals(4 * run.getValue(), summary.total());
            List<String> expected = files(SAMPLE.resolve(split));
            assertEquals(expected, files(out), split);
            for (String name : expected) {
                assertEquals(pixels(SAMPLE.resolve(split).resolve(name)), pixels(out.resolve(name)), name);
            }
        }
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".png")).map(p -> root.relativize(p).toString())
                    .sorted().collect(Collectors.toList());
        }
    }

    private static List<Byte> pixels(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType(), png.toString());
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Byte[] boxed = new Byte[data.length];
        Arrays.setAll(boxed, i -> data[i]);
        return Arrays.asList(boxed);
    }
}
