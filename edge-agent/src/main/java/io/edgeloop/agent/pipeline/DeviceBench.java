package io.edgeloop.agent.pipeline;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ModelConfig;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What {@code edge-agent bench} measures on the device itself: one model package at one ONNX Runtime thread count,
 * every frame decoded ({@link ImageDecoder#decodeReusing}, as a camera does), preprocessed into the worker's
 * preallocated input ({@link ImagePreprocessor}) and run ({@link InferenceContext}) on one thread, one frame after
 * the other. The agent overlaps decoding with inference (two stages per camera), so its frames/s lie between
 * {@code 1000 / frame ms} (one core) and {@code 1000 / max(prepare ms, inference ms)} (a core per stage).
 */
public final class DeviceBench {

    /** File name endings read from an image folder. */
    private static final List<String> IMAGE_ENDINGS = List.of(".jpg", ".jpeg", ".png", ".bmp");
    /** Most images read from a folder (the bench cycles through them). */
    public static final int MAX_IMAGES = 200;

    private DeviceBench() {
    }

    /**
     * The figures of one setting.
     *
     * @param threads     ORT intra-op threads
     * @param frames      frames measured (after the warm-up)
     * @param prepareP50  median decode + preprocess time, ms
     * @param inferP50    median inference time, ms
     * @param frameP50    median time of the whole frame, ms
     * @param framesPerSecond frames measured divided by the wall time they took (one thread)
     * @param top1        the top-1 class of each image, in image order (from the first pass over them)
     */
    public record Figures(int threads, int frames, double prepareP50, double inferP50, double frameP50,
            double framesPerSecond, int[] top1) {

        /** Frames/s if decoding had a core of its own, as the agent's two stages allow. */
        public double pipelinedFramesPerSecond() {
            return 1000.0 / Math.max(prepareP50, inferP50);
        }
    }

    /**
     * The model the bench runs: the card embedded in the package, or for a plain ONNX file without a card
     * torchvision's ImageNet preprocessing at the graph's input size (shorter side to size·256/224, centre crop)
     * and labels {@code class0..classN-1} from the graph's output size.
     *
     * @return the spec, and whether it was assumed (no card)
     */
    public static Resolved resolve(Path onnx) throws ConfigException, ModelLoadException {
        ModelConfig config = new ModelConfig(onnx.toString(), null, null, null, null, null, null);
        try {
            return new Resolved(ModelSpecs.resolve(config), false);
        } catch (ConfigException noCard) {
            if (!noCard.getMessage().contains("has no model card")) {
                throw noCard;
            }
        }
        int[] sizes = plainSizes(onnx);
        PreprocessSpec preprocess = PreprocessSpec.imagenet(Math.round(sizes[0] * 256f / 224f), sizes[0]);
        List<String> labels = IntStream.range(0, sizes[1]).mapToObj(i -> "class" + i).toList();
        ModelConfig plain = new ModelConfig(onnx.toString(), labels, preprocess, null, null, null, null);
        return new Resolved(ModelSpecs.resolve(plain), true);
    }

    /**
     * A resolved model.
     *
     * @param spec    what the agent would run
     * @param assumed true when the file has no card and the preprocessing and labels were assumed
     */
    public record Resolved(ModelSpec spec, boolean assumed) {
    }

    /** Input side and output classes of a plain ONNX classifier ([1,3,S,S] in, [1,N] out). */
    private static int[] plainSizes(Path onnx) throws ModelLoadException {
        OnnxMl.ModelProto model;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(onnx))) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new ModelLoadException(onnx + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
        OnnxMl.GraphProto graph = model.getGraph();
        List<String> initializers = graph.getInitializerList().stream().map(OnnxMl.TensorProto::getName).toList();
        List<OnnxMl.ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(i -> !initializers.contains(i.getName())).toList();
        long[] in = inputs.size() == 1 ? dims(inputs.get(0)) : new long[0];
        long[] out = graph.getOutputCount() == 0 ? new long[0] : dims(graph.getOutput(0));
        if (in.length != 4 || in[2] < 1 || in[2] != in[3] || out.length != 2 || out[1] < 2) {
            throw new ModelLoadException(onnx + ": no model card, and the graph is not a plain classifier with one"
                    + " input [1,3,S,S] and an output [1,N]: input " + Arrays.toString(in) + ", output "
                    + Arrays.toString(out) + "; give a model package (trainer export) instead");
        }
        return new int[] {(int) in[2], (int) out[1]};
    }

    private static long[] dims(OnnxMl.ValueInfoProto value) {
        return value.getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    /**
     * Reads up to {@link #MAX_IMAGES} JPEG, PNG and BMP files from a folder and its subfolders, in name order.
     *
     * @throws ConfigException if the folder does not exist or holds no such image
     */
    public static List<byte[]> readImages(Path dir) throws ConfigException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--images is '" + dir + "': no such folder, allowed a folder of JPEG, PNG or"
                    + " BMP images");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(p -> IMAGE_ENDINGS.stream()
                    .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                    .sorted().limit(MAX_IMAGES).collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new ConfigException("--images is '" + dir + "': no image in it, allowed a folder of files ending"
                    + " in " + String.join(", ", IMAGE_ENDINGS));
        }
        List<byte[]> images = new ArrayList<>();
        for (Path file : files) {
            images.add(Files.readAllBytes(file));
        }
        return images;
    }

    /**
     * Camera-like 640×480 JPEGs (quality 85): gradients, a few shapes and sensor noise, as a bench without
     * {@code --images} decodes.
     */
    public static List<byte[]> syntheticJpegs(int count, long seed) throws IOException {
        Random random = new Random(seed);
        List<byte[]> images = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
            int r0 = random.nextInt(200);
            int g0 = random.nextInt(200);
            int b0 = random.nextInt(200);
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    int noise = random.nextInt(17) - 8;
                    int r = clamp(r0 + x / 12 + noise);
                    int g = clamp(g0 + y / 9 + noise);
                    int b = clamp(b0 + (x + y) / 20 + noise);
                    image.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            Graphics2D g = image.createGraphics();
            for (int s = 0; s < 6; s++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                int side = 40 + random.nextInt(120);
                g.fillOval(random.nextInt(560), random.nextInt(400), side, side + random.nextInt(40));
            }
            g.dispose();
            images.add(jpeg(image));
        }
        return images;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Measures one setting: {@code warmup} frames first (JIT, ORT's allocations), then {@code frames} frames,
     * cycling through the images. The top-1 classes come from the first pass over the images.
     *
     * @throws ImageRejectedException if an image cannot be decoded (named by its index)
     */
    public static Figures measure(ModelSpec spec, int threads, List<byte[]> images, int warmup, int frames)
            throws ModelLoadException, OrtException, ImageRejectedException {
        if (images.isEmpty() || frames < 1 || warmup < 0) {
            throw new IllegalArgumentException("images " + images.size() + ", frames " + frames + ", warmup "
                    + warmup + ": allowed at least one image and one frame");
        }
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        ImagePreprocessor preprocessor = new ImagePreprocessor(spec.preprocess());
        int[] top1 = new int[images.size()];
        long[] prepare = new long[frames];
        long[] infer = new long[frames];
        long[] whole = new long[frames];
        long wall;
        try (ModelRuntime runtime = ModelRuntime.open(spec, new SessionSettings(threads, Optimization.ALL, false));
             InferenceContext context = runtime.newContext()) {
            FloatBuffer input = context.input();
            BufferedImage reuse = null;
            long start = 0;
            for (int i = 0; i < warmup + frames; i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                }
                int index = i % images.size();
                long t0 = System.nanoTime();
                reuse = decoder.decodeReusing(images.get(index), "image " + index, reuse);
                input.clear();
                preprocessor.preprocess(reuse, input);
                long t1 = System.nanoTime();
                float[] scores = context.run();
                long t2 = System.nanoTime();
                if (i < images.size()) {
                    top1[index] = argmax(scores);
                }
                if (i >= warmup) {
                    prepare[i - warmup] = t1 - t0;
                    infer[i - warmup] = t2 - t1;
                    whole[i - warmup] = t2 - t0;
                }
            }
            wall = System.nanoTime() - start;
        }
        return new Figures(threads, frames, median(prepare), median(infer), median(whole), frames * 1e9 / wall,
                top1);
    }

    private static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
