package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.Quantization;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer quantize} and {@code fit --quantize int8} as a user runs them: exit codes, stdout, stderr. */
class QuantizeCommandTest {

    static final Path FP32 = Path.of("src", "test", "resources", "quantize", "fashion-target-fp32.onnx")
            .toAbsolutePath();
    static final Path SAMPLE = Path.of("..", "data", "fashion-mnist-target").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void quantizePrintsBothAccuraciesTheKernelsAndWhereThePackageIs() throws Exception {
        Path out = tmp.resolve("int8");
        Run r = Run.command("quantize", "--model", FP32.getParent().toString() + "/fashion-target-fp32.onnx",
                "--calib", SAMPLE.resolve("train").toString(), "--val", SAMPLE.resolve("test").toString(), "--out",
                out.toString(), "--method", "minmax", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("int8 (minmax, 160 calibration images): top-1 "), lines.get(0));
        assertTrue(lines.get(0).contains(" vs fp32 93.25 % on 400 validation images, drop "), lines.get(0));
        assertEquals("graph: 4 BatchNormalization folded, 10 activations quantised; ONNX Runtime runs 6 int8"
                + " kernels (1 QGemm, 4 QLinearConv, 1 QLinearGlobalAveragePool)", lines.get(1));
        assertTrue(lines.get(2).startsWith("size: "), lines.get(2));
        assertEquals("model: " + out.resolve("model.onnx") + " (fashion-target 1-int8, unsigned: 'trainer deploy"
                + " --key' signs it like any package)", lines.get(3));
        Quantization q = ModelPackage.read(out.resolve("model.onnx")).card().quantization();
        assertEquals(400, q.validationImages());
    }

    @Test
    void aRefusedPackageExitsWith1NamingBothAccuraciesAndTheDrop() {
        Path out = tmp.resolve("refused");
        Run r = Run.command("quantize", "--model", FP32.toString(), "--calib", SAMPLE.resolve("test").toString(),
                "--val-fraction", "0.5", "--calib-images", "4", "--max-drop", "0.2", "--method", "entropy", "--out",
                out.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("trainer quantize: int8 top-1 accuracy "), r.err());
        assertTrue(r.err().contains(" points below fp32 "), r.err());
        assertTrue(r.err().endsWith(" on 200 validation images (method entropy), more than --max-drop 0.20; nothing"
                + " written. Try another --method (minmax, percentile, entropy), more --calib-images, or --force to"
                + " write it anyway\n"), r.err());
        assertTrue(!Files.exists(out.resolve("model.onnx")));

        Run forced = Run.command("quantize", "--model", FP32.toString(), "--calib", SAMPLE.resolve("test").toString(),
                "--val-fraction", "0.5", "--calib-images", "4", "--max-drop", "0.2", "--method", "entropy", "--force",
                "--out", out.toString());
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.err().startsWith("warning: the drop of "), forced.err());
        assertTrue(forced.err().endsWith(" points exceeds --max-drop 0.20; written because of --force\n"),
                forced.err());
        assertTrue(Files.exists(out.resolve("model.onnx")));
    }

    @Test
    void badInputIsExitCode2NamingWhatIsAllowed() throws Exception {
        String calib = SAMPLE.resolve("train").toString();
        String out = tmp.resolve("out").toString();
        Run method = Run.command("quantize", "--model", FP32.toString(), "--calib", calib, "--out", out,
                "--method", "kl");
        assertEquals(2, method.code());
        assertEquals("trainer quantize: --method is 'kl', allowed one of [minmax, percentile, entropy]\n",
                method.err());

        Path png = SAMPLE.resolve("train/bag").toFile().listFiles()[0].toPath();
        Run notModel = Run.command("quantize", "--model", png.toString(), "--calib", calib, "--out", out);
        assertEquals(2, notModel.code());
        assertTrue(notModel.err().startsWith("trainer quantize: " + png + ": not an ONNX model"), notModel.err());

        Path plain = tmp.resolve("plain.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 28, 4, 1)), plain);
        Run noCard = Run.command("quantize", "--model", plain.toString(), "--calib", calib, "--out", out);
        assertEquals(2, noCard.code());
        assertTrue(noCard.err().startsWith("trainer quantize: " + plain + ": no model card"), noCard.err());

        Path empty = Files.createDirectories(tmp.resolve("empty/bag"));
        Run noImages = Run.command("quantize", "--model", FP32.toString(), "--calib", empty.getParent().toString(),
                "--out", out);
        assertEquals(2, noImages.code());
        assertEquals("trainer quantize: class folder " + empty + " in calibration folder " + empty.getParent()
                + " has no images (*.jpg, *.jpeg, *.png, *.bmp)\n", noImages.err());

        Path corrupt = tmp.resolve("corrupt");
        for (String label : List.of("bag", "sandal")) {
            Path dir = Files.createDirectories(corrupt.resolve(label));
            for (int i = 0; i < 3; i++) {
                Files.copy(SAMPLE.resolve("train/" + label).toFile().listFiles()[i].toPath(),
                        dir.resolve(i + ".png"));
            }
        }
        Path broken = corrupt.resolve("bag/broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Run bad = Run.command("quantize", "--model", FP32.toString(), "--calib", corrupt.toString(), "--val",
                SAMPLE.resolve("test").toString(), "--out", out);
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("trainer quantize: calibration image " + broken + " cannot be used: "),
                bad.err());
        assertTrue(bad.err().endsWith("; allowed JPEG, PNG or BMP images that decode: remove or replace it\n"),
                bad.err());

        Run sameFolder = Run.command("quantize", "--model", FP32.toString(), "--calib", calib, "--out",
                FP32.getParent().toString());
        assertEquals(2, sameFolder.code());
        assertEquals("trainer quantize: --out " + FP32.getParent() + " is the fp32 package's own folder, allowed"
                + " another folder (the int8 package is written as DIR/model.onnx)\n", sameFolder.err());

        Run fit = Run.command("fit", "--base", FP32.toString(), "--data", calib, "--out", out, "--quantize", "fp16");
        assertEquals(2, fit.code());
        assertEquals("trainer fit: --quantize is 'fp16', allowed int8\n", fit.err());
    }

    @Test
    void helpFitsEightyColumns() {
        Run help = Run.command("quantize", "--help");
        assertEquals(0, help.code());
        for (String option : List.of("--model=M", "--calib=DIR", "--val=DIR", "--out=DIR", "--method=M",
                "--calib-images=N", "--max-drop=POINTS", "--force")) {
            assertTrue(help.out().contains(option), option);
        }
        help.out().lines().forEach(l -> assertTrue(l.length() <= 80, "longer than 80 columns: " + l));
        Run.command("fit", "--help").out().lines()
                .forEach(l -> assertTrue(l.length() <= 80, "longer than 80 columns: " + l));
    }

    @Test
    void fitQuantizeWritesAnInt8PackageBesideTheFp32One() throws Exception {
        Path run = tmp.resolve("run");
        Run fit = Run.command("fit", "--base", Path.of("..", "models", "base", "model.onnx").toString(), "--data",
                SAMPLE.resolve("train").toString(), "--val", SAMPLE.resolve("test").toString(), "--out",
                run.toString(), "--strategy", "head", "--epochs", "2", "--no-augment", "--lr", "0.01", "--threads",
                "2", "--name", "fashion-target", "--model-version", "2", "--quantize", "int8", "--quantize-method",
                "minmax");
        assertEquals(0, fit.code(), fit.out() + fit.err());
        assertTrue(fit.out().contains("\nint8 (minmax, 160 calibration images): top-1 "), fit.out());
        assertTrue(fit.out().endsWith("model: " + run.resolve("int8/model.onnx") + " (fashion-target 2-int8,"
                + " unsigned: 'trainer deploy --key' signs it like any package)\n"), fit.out());
        ModelPackage fp32 = ModelPackage.read(run.resolve("model.onnx"));
        Quantization q = ModelPackage.read(run.resolve("int8/model.onnx")).card().quantization();
        assertEquals(fp32.sha256(), q.sourceSha256());
        assertEquals(400, q.validationImages());
        assertEquals(fp32.card().metrics().get("val_accuracy"), q.fp32Accuracy(), 1e-9);
    }
}
