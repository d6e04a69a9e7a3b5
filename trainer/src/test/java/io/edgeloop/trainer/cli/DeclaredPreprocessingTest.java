package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #10: preprocessing declared for a card-less base, through the real CLI. */
class DeclaredPreprocessingTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path base;

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("items");
        TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {4, 4}, 32, 3);
        base = shared.resolve("plain.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
    }

    @Test
    void declaredCaffeStylePreprocessingGoesIntoTheCard(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1",
                "--channel-order", "bgr", "--pixel-scale", "1", "--mean", "104,117,123", "--std", "1,1,1");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(!fit.err().contains("notice:"), fit.err());
        PreprocessSpec card = ModelPackage.read(out.resolve("model.onnx")).card().preprocessing();
        assertEquals(ColourOrder.BGR, card.colourOrder());
        assertEquals(1.0, card.valueScale());
        assertEquals(List.of(104.0, 117.0, 123.0), card.mean());
        assertEquals(List.of(1.0, 1.0, 1.0), card.std());
        assertEquals(32, card.cropSize());
        Run again = Run.of("fit", "--base", out.resolve("model.onnx").toString(), "--data", data.toString(),
                "--out", dir.resolve("again").toString(), "--mean", "1,2,3");
        assertEquals(2, again.code());
        assertEquals("trainer fit: --base " + out.resolve("model.onnx") + " is a model package whose card fixes"
                + " its preprocessing; --pixel-scale/--mean/--std/--channel-order/--resize/--crop are for plain"
                + " ONNX bases only, drop them\n", again.err());
    }

    @Test
    void aPlainBaseWithoutDeclarationGetsANotice() {
        Run r = Run.of("inspect", base.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("notice: " + base + " has no model card; assuming torchvision ImageNet preprocessing (RGB,"
                + " 0-1 scale, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225], resize 256 crop 224)\n"
                + "notice: set --pixel-scale/--mean/--std/--channel-order/--resize/--crop if it was trained"
                + " otherwise\n", r.err());
        assertTrue(r.out().contains("preprocessing: RGB, 0-1 scale"), r.out());
    }

    @Test
    void badValuesNameTheOptionTheValueAndWhatIsAllowed(@TempDir Path dir) {
        Run scale = Run.of("inspect", base.toString(), "--pixel-scale", "1/0x");
        assertEquals(2, scale.code());
        assertEquals("trainer inspect: --pixel-scale is 1/0x, allowed a number > 0 such as 1/255, 0.00392 or 1\n",
                scale.err());
        Run std = Run.of("inspect", base.toString(), "--std", "1,0,1");
        assertEquals(2, std.code());
        assertEquals("trainer inspect: --std is 1,0,1, allowed 3 numbers > 0, one per channel\n", std.err());
        Run order = Run.of("inspect", base.toString(), "--channel-order", "rbg");
        assertEquals(2, order.code());
        assertEquals("trainer inspect: --channel-order is rbg, allowed one of [rgb, bgr]\n", order.err());
    }
}
