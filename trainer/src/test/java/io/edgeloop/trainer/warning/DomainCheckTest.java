package io.edgeloop.trainer.warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainCheckTest {

    private static final Path BASE = Path.of("models/base/model.onnx");
    private static final BaseDomain FASHION = new BaseDomain(3, Optional.of("its card names Fashion-MNIST, a"
            + " greyscale dataset, as its training data"), Optional.of("Fashion-MNIST"));
    private static final BaseDomain COLOUR = new BaseDomain(3, Optional.empty(), Optional.empty());

    @Test
    void aGreyBaseWithColourPhotosGetsBothTheColourAndTheSizeWarning() {
        List<RunWarning> w = DomainCheck.check(BASE, FASHION, 28, new DataAppearance(24, 22, 41.3, 480, 0));
        assertEquals(List.of(WarningCode.GREY_BASE_COLOUR_DATA, WarningCode.IMAGES_SHRUNK),
                w.stream().map(RunWarning::code).toList());
        assertEquals("models/base/model.onnx was trained on grey images (Fashion-MNIST): its card names"
                + " Fashion-MNIST, a greyscale dataset, as its training data; but 22 of 24 sampled training images"
                + " have colour (median channel spread 41 of 255 levels). It never saw colour, so colour cues in your"
                + " images are largely lost on its features", w.get(0).message());
        assertTrue(w.get(0).advice().contains("see docs/bases.md"), w.get(0).advice());
        assertEquals("the sampled images' median shorter side is 480 px but models/base/model.onnx takes 28x28"
                + " input (Fashion-MNIST): each image is shrunk about 17x, and detail finer than 1/28 of the image is"
                + " lost", w.get(1).message());
    }

    @Test
    void theThresholdsAreWhereTheDocsSay() {
        // a minority of colour images is not "colour data"; 4x the input side is "shrunk", just below is not
        assertTrue(DomainCheck.check(BASE, FASHION, 28, new DataAppearance(24, 12, 3, 111, 0)).isEmpty());
        assertEquals(List.of(WarningCode.IMAGES_SHRUNK), DomainCheck.check(BASE, FASHION, 28,
                new DataAppearance(24, 0, 0, 112, 0)).stream().map(RunWarning::code).toList());
        assertEquals(List.of(WarningCode.IMAGES_UPSCALED), DomainCheck.check(BASE, COLOUR, 224,
                new DataAppearance(24, 20, 30, 56, 0)).stream().map(RunWarning::code).toList());
        assertTrue(DomainCheck.check(BASE, COLOUR, 224, new DataAppearance(24, 20, 30, 57, 0)).isEmpty());
        assertTrue(DomainCheck.check(BASE, FASHION, 28, new DataAppearance(0, 0, 0, 0, 5)).isEmpty(),
                "nothing readable, nothing claimed");
    }

    @Test
    void aColourBaseWithGreyDataIsOnlyInformation() {
        List<RunWarning> w = DomainCheck.check(BASE, COLOUR, 224, new DataAppearance(24, 0, 0.4, 300, 0));
        assertEquals(1, w.size());
        assertEquals(Severity.INFO, w.get(0).severity());
        assertEquals(WarningCode.COLOUR_BASE_GREY_DATA, w.get(0).code());
        assertTrue(w.get(0).toText().startsWith("info (colour-base-grey-data): all 24 sampled training images are"
                + " grey"), w.get(0).toText());
    }
}
