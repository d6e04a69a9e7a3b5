package io.edgeloop.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.cli.TrainerMain;
import io.edgeloop.trainer.job.TrainerServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's own parts. The whole demo (broker, agent process, deploy) runs in CI after the test suite, because it
 * needs the packaged agent jar; see {@code .ci/run}.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void splitKeepsTheFirstImagesPerClassLabelledAndStreamsTheRest() throws Exception {
        Path train = sample(tmp.resolve("sample/train"), 4);
        DemoLayout layout = DemoLayout.under(tmp.resolve("out"), tmp.resolve("sample/test"));

        int[] counts = layout.split(train, 3);

        assertEquals(6, counts[0]);
        assertEquals(2, counts[1]);
        assertTrue(Files.exists(layout.labelled().resolve("bag/img-0.png")));
        assertTrue(Files.exists(layout.labelled().resolve("bag/img-2.png")));
        assertFalse(Files.exists(layout.labelled().resolve("bag/img-3.png")));
        assertTrue(Files.exists(layout.field().resolve("sandal/img-3.png")));
        assertEquals(2, DemoLayout.countImages(layout.field()));
    }

    @Test
    void splitNeedsAFieldFrameInEveryClass() throws Exception {
        Path train = sample(tmp.resolve("sample/train"), 4);
        DemoLayout layout = DemoLayout.under(tmp.resolve("out"), tmp.resolve("sample/test"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.split(train, 4));
        assertEquals(train.resolve("bag") + " has 4 images; --labelled-per-class 4 must leave at least one for the"
                + " field stream", e.getMessage());
    }

    @Test
    void missingInputsAreBadUsageNamingThem() {
        Run missingBase = run("demo", "--base", tmp.resolve("nope.onnx").toString());
        assertEquals(2, missingBase.code);
        assertEquals("trainer demo: base model " + tmp.resolve("nope.onnx")
                + " not found (run from the repository root, or pass --base)\n", missingBase.err);
    }

    @Test
    void refusesToClearAFolderItDidNotMake() throws Exception {
        Path base = Files.writeString(tmp.resolve("base.onnx"), "not used before the check");
        Path sample = tmp.resolve("sample");
        sample(sample.resolve("train"), 3);
        sample(sample.resolve("test"), 1);
        Path jar = Files.writeString(tmp.resolve("agent.jar"), "");
        Path out = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(out.resolve("thesis.tex"), "keep me");

        Run r = run("demo", "--base", base.toString(), "--sample", sample.toString(), "--agent-jar", jar.toString(),
                "--out", out.toString());

        assertEquals(2, r.code);
        assertEquals("trainer demo: " + out + " exists and was not made by 'trainer demo'; choose another --out\n",
                r.err);
        assertEquals("keep me", Files.readString(out.resolve("thesis.tex")));
    }

    @Test
    void indentingWriterIndentsEveryLine() {
        StringWriter target = new StringWriter();
        PrintWriter w = new PrintWriter(new IndentingWriter(new PrintWriter(target), "  "), true);
        w.print("one\ntwo\n\nthree");
        w.flush();
        assertEquals("  one\n  two\n\n  three", target.toString());
    }

    private static Path sample(Path root, int perClass) throws Exception {
        for (String label : new String[] {"bag", "sandal"}) {
            Path dir = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                Files.write(dir.resolve("img-" + i + ".png"), new byte[] {(byte) i});
            }
        }
        return root;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(out), new PrintWriter(err), TrainerServices.defaults());
        return new Run(code, out.toString(), err.toString());
    }
}
