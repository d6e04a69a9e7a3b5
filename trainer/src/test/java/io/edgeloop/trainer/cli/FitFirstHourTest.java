package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets with {@code trainer fit}: each case runs the real CLI and checks exit code and stderr. */
class FitFirstHourTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path base;

    static Run run(String... args) {
        return Run.of(args);
    }

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("shelf-items");
        TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {6, 6}, 32, 3);
        base = shared.resolve("simplecnn.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
    }

    @Test
    void anOutputFolderInUseIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("run"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        // one class only: loading the data would fail with another message, so the --out check came first
        Path oneClass = Files.createDirectories(dir.resolve("one/solo"));
        Files.copy(Files.list(data.resolve("a")).findFirst().orElseThrow(), oneClass.resolve("x.png"));
        Run r = run("fit", "--base", base.toString(), "--data", dir.resolve("one").toString(), "--out",
                out.toString());
        assertEquals(2, r.code());
        assertEquals("trainer fit: --out " + out + " is not empty; choose a new or empty folder\n", r.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    }

    @Test
    void resumeWithoutARunSaysSo(@TempDir Path dir) {
        Run r = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", dir.toString(),
                "--resume");
        assertEquals(2, r.code());
        assertEquals("trainer fit: --resume given but " + dir + " holds no interrupted run (no checkpoint.bin);"
                + " drop --resume to start a new run\n", r.err());
    }

    @Test
    void optionErrorsNameTheOption(@TempDir Path dir) {
        Run lr = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", dir.toString(),
                "--lr", "20");
        assertEquals(2, lr.code());
        assertEquals("trainer fit: --lr is 20.0, allowed 0 < lr <= 10\n", lr.err());
        Run warmup = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", dir.toString(),
                "--epochs", "3", "--warmup-epochs", "3");
        assertEquals(2, warmup.code());
        assertTrue(warmup.err().startsWith("trainer fit: --warmup-epochs is 3, allowed 0..2"), warmup.err());
    }

    @Test
    void anUnknownCutPointNamesTheOptionAndWhereToLook(@TempDir Path dir) {
        Run r = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", dir.toString(),
                "--cut-at", "no-such-node", "--epochs", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("trainer fit: " + base + ": --cut-at no-such-node: no node named"
                + " 'no-such-node' in the graph (18 nodes, e.g. [features.0, "), r.err());
        assertTrue(r.err().endsWith("; 'trainer inspect' lists the nodes\n"), r.err());
    }

    @Test
    void aFileThatIsNotOnnxIsCalledThat(@TempDir Path dir) throws Exception {
        Path notOnnx = Files.writeString(dir.resolve("photo.onnx"), "\u0000\u0001 these are not protobuf bytes");
        Run r = run("fit", "--base", notOnnx.toString(), "--data", data.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(2, r.code());
        assertEquals("trainer fit: " + notOnnx + " is not an ONNX model: it does not parse as one; expected a .onnx"
                + " file as written by torch.onnx.export, tf2onnx or 'trainer fit'\n", r.err());
        Run inspect = run("inspect", notOnnx.toString());
        assertEquals(2, inspect.code());
        assertFalse(inspect.err().contains("protocol message"), inspect.err());
    }

    @Test
    void theModelIsNamedAfterItsDataFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run r = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("shelf-items", ModelPackage.read(out.resolve("model.onnx")).card().name());
        assertTrue(r.out().contains("(shelf-items "), r.out());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String command : new String[] {"fit", "evaluate", "inspect", "init", "datasets", "pretrain",
            "experiment", "collect", "label", "keys", "deploy", "serve-models", "demo"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.code(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: trainer " + command), command + ": " + help.out());
            for (String line : help.out().split("\n")) {
                assertTrue(line.length() <= 80, command + " --help line longer than 80 columns: " + line);
            }
            Run viaHelp = run("help", command);
            assertEquals(0, viaHelp.code(), command);
            assertEquals(help.out(), viaHelp.out(), command);
        }
    }
}
