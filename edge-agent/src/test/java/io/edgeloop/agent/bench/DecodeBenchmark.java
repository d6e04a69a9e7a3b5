package io.edgeloop.agent.bench;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.testing.BmpFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark harness (not a timed test): the agent's decode + preprocess per image format and camera size, against
 * baseline JPEG measured in the same run. For 640×480, 1280×720 and 1920×1080 it draws a camera-like frame
 * (gradients, shapes, sensor noise; seed 42) and encodes it as baseline JPEG (quality 85), progressive JPEG (the
 * same, {@link ImageWriteParam#MODE_DEFAULT} progressive), RGB PNG, 24-bit bottom-up BMP and 32-bit top-down BMP.
 * Each file is timed on one thread through
 *
 * <ul>
 *   <li><b>camera path</b>: {@link ImageDecoder#decodeReusing} into the previous frame, then
 *       {@link ImagePreprocessor#preprocess} to the 3×224×224 ImageNet tensor, as a camera's stage 1 does;</li>
 *   <li><b>general</b>: {@link ImageDecoder#decode} (the ImageIO readers into {@code TYPE_INT_RGB}), then the same
 *       preprocess: what the camera path did for PNG and BMP before it decoded them in place;</li>
 *   <li><b>PIL</b> (optional, when {@code /usr/bin/python3} has PIL and numpy): {@code src/test/python/
 *       pil_decode_bench.py} on the same files, decode and decode + torchvision-style resize, crop, normalise.</li>
 * </ul>
 *
 * <p>Rounds alternate all files and paths, PIL's included (one warm-up round first); the table gives the median
 * milliseconds per frame over the rounds, decode alone and decode + preprocess, and the camera path's ratio to
 * baseline JPEG at the same size. Run:
 *
 * <pre>
 * ./mvnw -B -pl edge-agent -am test -Dtest=DecodeBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.rounds=5] [-Dbench.scale=1.0]
 * </pre>
 *
 * {@code bench.scale} multiplies the frames per round (40, 20 and 10 at the three sizes).
 */
@Timeout(value = 1, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
final class DecodeBenchmark {

    private static final int[][] SIZES = {{640, 480}, {1280, 720}, {1920, 1080}};
    private static final int[] FRAMES = {40, 20, 10};
    private static final String[] FORMATS = {"jpeg", "jpeg-progressive", "png", "bmp-24", "bmp-32"};

    /** One encoded file and its medians. */
    private record Cell(String format, int width, int height, byte[] data, Path file) {
    }

    @TempDir
    Path dir;

    @Tag("benchmark")
    @Test
    void benchmark() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1.0"));
        List<Cell> cells = new ArrayList<>();
        for (int[] size : SIZES) {
            BufferedImage frame = cameraFrame(size[0], size[1], new Random(42));
            for (String format : FORMATS) {
                byte[] data = encode(frame, format);
                Path file = dir.resolve(size[0] + "x" + size[1] + "-" + format + (format.startsWith("bmp") ? ".bmp"
                        : format.startsWith("png") ? ".png" : ".jpg"));
                Files.write(file, data);
                cells.add(new Cell(format, size[0], size[1], data, file));
            }
        }
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.IMAGENET_224);
        FloatBuffer tensor = ByteBuffer.allocateDirect(4 * PreprocessSpec.IMAGENET_224.tensorLength())
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        String[] paths = {"camera decode", "camera decode+preprocess", "general decode", "general decode+preprocess"};
        Map<String, double[]> perRound = new LinkedHashMap<>();
        Map<String, BufferedImage> reuse = new HashMap<>();
        boolean pil = pilAvailable();
        for (int round = -1; round < rounds; round++) {
            for (Cell cell : cells) {
                int frames = Math.max(2, (int) Math.round(scale * FRAMES[sizeIndex(cell)]));
                for (int p = 0; p < paths.length; p++) {
                    String key = key(cell, paths[p]);
                    boolean camera = p < 2;
                    boolean preprocess = p % 2 == 1;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < frames; i++) {
                        BufferedImage image = camera
                                ? decoder.decodeReusing(cell.data(), key, reuse.get(key))
                                : decoder.decode(cell.data(), key);
                        if (camera) {
                            reuse.put(key, image);
                        }
                        if (preprocess) {
                            tensor.clear();
                            preprocessor.preprocess(image, tensor);
                        }
                    }
                    double ms = (System.nanoTime() - t0) / 1e6 / frames;
                    if (round >= 0) {
                        perRound.computeIfAbsent(key, k -> new double[rounds])[round] = ms;
                    }
                }
            }
            for (int size = 0; pil && round >= 0 && size < SIZES.length; size++) {
                List<Cell> group = cells.subList(size * FORMATS.length, (size + 1) * FORMATS.length);
                Map<String, double[]> py = pilRound(group, Math.max(2, (int) Math.round(scale * FRAMES[size])));
                for (Cell cell : group) {
                    double[] ms = py.get(cell.file().toString());
                    perRound.computeIfAbsent(key(cell, "PIL decode"), k -> new double[rounds])[round] = ms[0];
                    perRound.computeIfAbsent(key(cell, "PIL decode+preprocess"), k -> new double[rounds])[round]
                            = ms[1];
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d rounds after a warm-up round, 1 thread, median ms per frame; load"
                + " average %s%n", rounds, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| size | format | bytes | camera decode | camera decode + preprocess | / baseline JPEG"
                + " | general decode | general decode + preprocess | PIL decode | PIL decode + preprocess"
                + " | camera / PIL (decode + preprocess) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Cell cell : cells) {
            double[] m = new double[paths.length];
            for (int p = 0; p < paths.length; p++) {
                m[p] = median(perRound.get(key(cell, paths[p])));
            }
            double baseline = median(perRound.get(key(cells.get(sizeIndex(cell) * FORMATS.length),
                    paths[1])));
            double[] py = pil ? new double[] {median(perRound.get(key(cell, "PIL decode"))),
                median(perRound.get(key(cell, "PIL decode+preprocess")))} : null;
            System.out.printf(Locale.ROOT, "| %dx%d | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n",
                    cell.width(), cell.height(), cell.format(), cell.data().length, m[0], m[1], m[1] / baseline,
                    m[2], m[3], py == null ? "–" : String.format(Locale.ROOT, "%.2f", py[0]),
                    py == null ? "–" : String.format(Locale.ROOT, "%.2f", py[1]),
                    py == null ? "–" : String.format(Locale.ROOT, "%.2f", m[1] / py[1]));
        }
    }

    private static int sizeIndex(Cell cell) {
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i][0] == cell.width()) {
                return i;
            }
        }
        throw new IllegalArgumentException("no size " + cell.width());
    }

    private static String key(Cell cell, String path) {
        return cell.width() + "x" + cell.height() + " " + cell.format() + " " + path;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PIL_SCRIPT = Path.of("src/test/python/pil_decode_bench.py").toAbsolutePath();

    /** Whether the PIL rows can run; prints why not. */
    private static boolean pilAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON) || !Files.isRegularFile(PIL_SCRIPT)) {
            System.out.println("PIL rows skipped: no " + PYTHON + " or no " + PIL_SCRIPT);
            return false;
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import PIL, numpy").redirectErrorStream(true)
                .start();
        String why = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (probe.waitFor() != 0) {
            System.out.println("PIL rows skipped (apt-get install python3-pil python3-numpy): " + why);
            return false;
        }
        return true;
    }

    /**
     * One round of PIL on the files ({decode, decode + preprocess} ms per file, after the script's own warm-up),
     * run between the Java rounds so that both see the same load.
     */
    private static Map<String, double[]> pilRound(List<Cell> cells, int repeat)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), PIL_SCRIPT.toString(),
                String.valueOf(repeat), "1"));
        cells.forEach(c -> command.add(c.file().toString()));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (run.waitFor() != 0) {
            throw new IOException("pil_decode_bench.py failed: " + out);
        }
        Map<String, double[]> result = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            result.put(fields[0], new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[2])});
        }
        return result;
    }

    /** A camera-like frame: colour gradients, a few filled shapes, ±8 of sensor noise. */
    static BufferedImage cameraFrame(int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int r0 = random.nextInt(200);
        int g0 = random.nextInt(200);
        int b0 = random.nextInt(200);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(17) - 8;
                int r = clamp(r0 + x * 53 / width + noise);
                int g = clamp(g0 + y * 53 / height + noise);
                int b = clamp(b0 + (x + y) * 56 / (width + height) + noise);
                row[x] = (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        Graphics2D g = image.createGraphics();
        try {
            for (int s = 0; s < 6; s++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                int side = height / 12 + random.nextInt(height / 4);
                g.fillOval(random.nextInt(width - side), random.nextInt(height - side), side, side);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static byte[] encode(BufferedImage frame, String format) throws IOException {
        int w = frame.getWidth();
        int h = frame.getHeight();
        switch (format) {
            case "bmp-24", "bmp-32" -> {
                int[] rgb = frame.getRGB(0, 0, w, h, null, 0, w);
                return BmpFiles.write(rgb, w, h, format.equals("bmp-24") ? BmpFiles.Layout.plain(24, false)
                        : BmpFiles.Layout.plain(32, true));
            }
            case "png" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(frame, "png", out)) {
                    throw new IOException("no PNG writer");
                }
                return out.toByteArray();
            }
            default -> {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
                if (format.equals("jpeg-progressive")) {
                    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.write(null, new IIOImage(frame, null, null), param);
                } finally {
                    writer.dispose();
                }
                return out.toByteArray();
            }
        }
    }
}
