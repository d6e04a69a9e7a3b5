package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessSpecTest {

    private static final List<Double> MEAN = List.of(0.485, 0.456, 0.406);
    private static final List<Double> STD = List.of(0.229, 0.224, 0.225);

    private static String error(Runnable construct) {
        return assertThrows(RuntimeException.class, construct::run).getMessage();
    }

    @Test
    void imagenetDefaultsAndTensorLength() {
        PreprocessSpec spec = PreprocessSpec.IMAGENET_224;
        assertEquals(ResizePolicy.SHORTER_SIDE, spec.resize());
        assertEquals(256, spec.resizeSize());
        assertEquals(224, spec.cropSize());
        assertEquals(3 * 224 * 224, spec.tensorLength());
        assertEquals(ColourOrder.RGB, spec.colourOrder());
        PreprocessSpec small = spec.withCropSize(160);
        assertEquals(183, small.resizeSize()); // round(256 * 160 / 224) = round(182.857)
        assertEquals(3 * 160 * 160, small.tensorLength());
    }

    @Test
    void validationNamesTheFieldTheValueAndWhatIsAllowed() {
        assertEquals("preprocessing.cropSize is 0, allowed 1..4096", error(() ->
                new PreprocessSpec(ResizePolicy.SHORTER_SIDE, 256, 0, MEAN, STD, 1 / 255.0, ColourOrder.RGB)));
        assertEquals("preprocessing.resizeSize is 200, allowed cropSize (224)..4096 for resize SHORTER_SIDE",
                error(() -> new PreprocessSpec(ResizePolicy.SHORTER_SIDE, 200, 224, MEAN, STD, 1 / 255.0,
                        ColourOrder.RGB)));
        assertEquals("preprocessing.mean is [0.5, 0.5], allowed exactly 3 numbers (one per channel)", error(() ->
                new PreprocessSpec(ResizePolicy.EXACT, 256, 224, List.of(0.5, 0.5), STD, 1 / 255.0,
                        ColourOrder.RGB)));
        assertEquals("preprocessing.std is [0.2, 0.0, 0.2], allowed 3 finite numbers > 0", error(() ->
                new PreprocessSpec(ResizePolicy.EXACT, 256, 224, MEAN, List.of(0.2, 0.0, 0.2), 1 / 255.0,
                        ColourOrder.RGB)));
        assertEquals("preprocessing.mean is [NaN, 0.0, 0.0], allowed 3 finite numbers", error(() ->
                new PreprocessSpec(ResizePolicy.EXACT, 256, 224, Arrays.asList(Double.NaN, 0.0, 0.0), STD,
                        1 / 255.0, ColourOrder.RGB)));
        assertEquals("preprocessing.valueScale is NaN, allowed a finite number > 0", error(() ->
                new PreprocessSpec(ResizePolicy.NONE, 0, 224, MEAN, STD, Double.NaN, ColourOrder.RGB)));
        assertEquals("preprocessing.resize must be one of SHORTER_SIDE, EXACT, NONE", error(() ->
                new PreprocessSpec(null, 256, 224, MEAN, STD, 1 / 255.0, ColourOrder.RGB)));
        assertEquals("preprocessing.colourOrder must be one of RGB, BGR", error(() ->
                new PreprocessSpec(ResizePolicy.NONE, 0, 224, MEAN, STD, 1 / 255.0, null)));
    }

    @Test
    void meanAndStdAreCopied() {
        java.util.ArrayList<Double> mean = new java.util.ArrayList<>(MEAN);
        PreprocessSpec spec = new PreprocessSpec(ResizePolicy.NONE, 0, 8, mean, STD, 1.0, ColourOrder.BGR);
        mean.set(0, 9.0);
        assertEquals(0.485, spec.mean().get(0));
        assertThrows(UnsupportedOperationException.class, () -> spec.mean().set(0, 1.0));
    }
}
