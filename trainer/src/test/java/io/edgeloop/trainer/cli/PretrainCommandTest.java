package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.pretrain.PixelStatistics;
import io.edgeloop.trainer.pretrain.Pretrainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer pretrain} end to end on a tiny synthetic Fashion-MNIST (IDX files written here; each class has
 * its own bright square so the task is learnable): writes a model package whose card carries the six source
 * labels, the fitted normalisation and the measured test accuracy, and which imports again with a new head (what
 * the transfer experiment does with it).
 */
class PretrainCommandTest {

    @TempDir
    Path dir;

    Run run(String... args) {
        return Run.command("pretrain", args);
    }

    @Test
    void pretrainsATinySourceTaskAndWritesAnImportableBaseModel() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        writeSplit(idx, FashionMnistSplit.TRAIN, 60, 1);
        writeSplit(idx, FashionMnistSplit.TEST, 30, 2);
        Path out = dir.resolve("base");
        String[] args = {"--arch", "simplecnn", "--width", "0.25", "--image-size", "16", "--data", idx.toString(),
            "--epochs", "2", "--batch-size", "8", "--lr", "0.01", "--seed", "3", "--work",
            dir.resolve("work").toString(), "--out", out.toString()};
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 1: train loss "), r.out());
        assertTrue(r.out().contains("Wrote " + out.resolve("model.onnx") + ": source-task test accuracy "), r.out());

        ModelCard card = ModelPackage.read(out.resolve("model.onnx")).card();
        assertEquals(Pretrainer.MODEL_NAME, card.name());
        assertEquals(List.of("coat", "dress", "pullover", "shirt", "t-shirt-top", "trouser"), card.labels());
        assertEquals(ResizePolicy.EXACT, card.preprocessing().resize());
        assertEquals(16, card.preprocessing().cropSize());
        // 40 source training images (labels 0-5 of the 60; 6-9 are target classes)
        PixelStatistics pixels = PixelStatistics.of(FashionMnist.load(idx, FashionMnistSplit.TRAIN),
                FashionMnistTask.SOURCE);
        assertEquals(36, pixels.images());
        assertEquals(List.of(pixels.mean(), pixels.mean(), pixels.mean()), card.preprocessing().mean());
        assertEquals(List.of(pixels.std(), pixels.std(), pixels.std()), card.preprocessing().std());
        double accuracy = card.metrics().get("source_test_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(18.0, card.metrics().get("source_test_images"));
        assertEquals(36.0, card.metrics().get("source_train_images"));
        assertEquals(2.0, card.metrics().get("epochs"));
        assertEquals("3", card.notes().get("seed"));
        assertEquals("trainer pretrain " + String.join(" ", args), card.notes().get("command"));
        assertTrue(card.notes().get("export_check").startsWith("export check on 32 images: max |ORT − DJL|"
                + " probabilities "), card.notes().get("export_check"));
        assertTrue(card.notes().get("export_check").endsWith(" ok"), card.notes().get("export_check"));
        assertTrue(card.trainingData().startsWith("sha256:"), card.trainingData());

        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             OnnxClassifierNetwork net = OnnxImporter.load(out.resolve("model.onnx"), HeadSpec.auto(4, 1),
                     manager)) {
            assertEquals(4, net.numClasses());
            assertEquals(16, net.imageSize());
        }
    }

    @Test
    void badOptionsNameTheOptionAndTheAllowedValues() {
        Run source = run("--arch", "simplecnn", "--source", "imagenet", "--epochs", "1", "--out", dir.toString());
        assertEquals(2, source.code());
        assertEquals("trainer pretrain: --source is imagenet, allowed fashion-mnist-source\n", source.err());
        Run epochs = run("--arch", "simplecnn", "--epochs", "0", "--out", dir.toString());
        assertEquals(2, epochs.code());
        assertEquals("trainer pretrain: --epochs is 0, allowed 1..1000\n", epochs.err());
        Run width = run("--arch", "simplecnn", "--width", "9", "--epochs", "1", "--out", dir.toString());
        assertEquals(2, width.code());
        assertTrue(width.err().startsWith("trainer pretrain: --width 9.0 is invalid: allowed 0.1 to 4.0"), width.err());
        Run missing = run("--arch", "simplecnn", "--epochs", "1", "--data", dir.resolve("nothing").toString(),
                "--work", dir.resolve("w").toString(), "--out", dir.toString());
        assertEquals(2, missing.code(), "a dataset folder that does not hold the dataset is bad input");
        assertTrue(missing.err().startsWith("trainer pretrain: "), missing.err());
        assertTrue(missing.err().contains(dir.resolve("nothing").toString()), missing.err());
    }

    /**
     * {@code n} images labelled {@code i % 10}; each label draws a bright 6×6 square at its own place on seeded
     * noise, so a small CNN can tell the classes apart.
     */
    static void writeSplit(Path dir, FashionMnistSplit split, int n, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            int x0 = 2 + (label % 4) * 6;
            int y0 = 2 + (label / 4) * 8;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean square = x >= x0 && x < x0 + 6 && y >= y0 && y < y0 + 6;
                    pixels[i * 784 + y * 28 + x] = (byte) (square ? 200 + random.nextInt(56) : random.nextInt(40));
                }
            }
        }
        Files.write(dir.resolve(split.imagesFileName()), idx(0x803, new int[] {n, 28, 28}, pixels));
        Files.write(dir.resolve(split.labelsFileName()), idx(0x801, new int[] {n}, labels));
    }

    static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(payload);
        }
        return buffer.toByteArray();
    }
}
