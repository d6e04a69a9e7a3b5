package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10, SqueezeNet-style bases: {@code inspect} and {@code fit} find the 1×1-conv head without {@code --cut-at},
 * say what replaces it, and {@code --head-pool} chooses the pooling, through the real CLI.
 */
class ConvHeadCommandTest {

    private static final Path SQUEEZENET = Paths.get("src", "test", "resources", "onnx", "arch",
            "caffe2_squeezenet1_0_op7.onnx");

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("items");
        TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {6, 6}, 64, 3);
    }

    @Test
    void fitHelpDocumentsHeadPool() {
        Run help = Run.command("fit", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--head-pool=P"), help.out());
        assertTrue(help.out().replaceAll("\\s+", " ").contains("avg, max or flatten (C*H*W inputs). Default: avg."),
                help.out());
        Run inspect = Run.command("inspect", "--help");
        assertTrue(inspect.out().contains("--head-pool=P"), inspect.out());
    }

    @Test
    void aWrongHeadPoolExits2NamingTheAllowedValues() {
        Run r = Run.command("fit", "--base", SQUEEZENET.toString(), "--data", data.toString(), "--out",
                shared.resolve("never").toString(), "--head-pool", "mean");
        assertEquals(2, r.code());
        assertEquals("trainer fit: Invalid value for option '--head-pool': expected one of [AVG, MAX, FLATTEN]"
                + " (case-insensitive) but was 'mean' (see 'trainer fit --help')\n", r.err());
    }

    @Test
    void inspectSaysWhichHeadItFoundAndWhatReplacesIt() {
        Run r = Run.command("inspect", SQUEEZENET.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("head cut: 1×1 conv head Conv node 'conv10_1' + Relu + GlobalAveragePool,"
                + " features 'fire9/concat_2' [N, 48, 7, 7]\n"), r.out());
        assertTrue(r.out().contains("new head: global average pool [N, 48, 7, 7] → 48, linear 48 → one output per"
                + " class of the data, attached at 'fire9/concat_2'\n"), r.out());
        Run flatten = Run.command("inspect", SQUEEZENET.toString(), "--head-pool", "flatten");
        assertTrue(flatten.out().contains("new head: flatten [N, 48, 7, 7] → 2352, linear 2352 → one output per"
                + " class of the data"), flatten.out());
    }

    @Test
    void fitTrainsAConvHeadBaseWithoutCutAtAndExportsThePooling(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run fit = Run.command("fit", "--base", SQUEEZENET.toString(), "--data", data.toString(), "--out",
                out.toString(), "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1",
                "--head-pool", "max");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("\nhead: 1×1 conv head Conv node 'conv10_1' + Relu + GlobalAveragePool,"
                + " features 'fire9/concat_2' [N, 48, 7, 7]; new head: global max pool [N, 48, 7, 7] → 48, linear"
                + " 48 → 2 classes\n"), fit.out());
        OnnxMl.GraphProto g = OnnxGraph.read(out.resolve("model.onnx")).getGraph();
        List<String> tail = g.getNodeList().stream().map(OnnxMl.NodeProto::getName).toList();
        assertEquals(List.of("edgeloop_head/GlobalMaxPool", "edgeloop_head/Flatten", "edgeloop_head/Gemm",
                "edgeloop_head/Softmax"), tail.subList(tail.size() - 4, tail.size()));
    }
}
