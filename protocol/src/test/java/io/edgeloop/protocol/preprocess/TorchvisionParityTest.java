package io.edgeloop.protocol.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decode + preprocess of real photos against torchvision 0.14 / PIL 9.4 (Debian), computed by
 * {@code protocol/src/test/python/make_reference.py} with {@code ImageOps.exif_transpose(Image.open(f))
 * .convert("RGB")} then {@code Resize + CenterCrop + ToTensor + Normalize(ImageNet)}.
 *
 * <p>Measured: the 8-bit crops are <b>identical</b> for every fixture (JPEG with an Adobe RGB ICC profile, PNG,
 * greyscale, RGBA, palette with transparency, CMYK, YCCK, EXIF orientation 6, BMP, progressive 4:2:2 JPEG,
 * synthetic upscale and zero padding cases); the max abs difference after normalisation is 0.0 in all 22 cases,
 * i.e. the float32 tensors are equal (the script checks that the stored 8-bit crops rebuild torchvision's tensors
 * exactly, and the Java normalisation uses torchvision's float32 operations). The assertion allows 1e-5 so that
 * only float rounding could pass, not a one-level pixel difference (0.017).
 */
class TorchvisionParityTest {

    /** Far below one 8-bit level after ImageNet normalisation (1 / 255 / 0.229 = 0.0171). */
    private static final double TOLERANCE = 1e-5;

    /** Photos that also have the Resize(146) + CenterCrop(128) reference (make_reference.py: ONLY_224). */
    private static final List<String> WITH_128 = List.of("rocket.jpg", "chelsea.png", "camera_grey.jpg",
            "astronaut_exif6.jpg", "coffee.bmp");

    private static final List<String> PHOTOS = List.of("rocket.jpg", "chelsea.png", "coffee.jpg",
            "camera_grey.jpg", "motorcycle_alpha.png", "chelsea_palette.png", "coffee_cmyk.jpg", "coffee_ycck.jpg",
            "astronaut_exif6.jpg", "coffee.bmp", "chelsea_progressive.jpg");

    static Stream<Arguments> photos() {
        List<Arguments> cases = new ArrayList<>();
        for (String photo : PHOTOS) {
            cases.add(Arguments.of(photo, "r256c224", PreprocessSpec.IMAGENET_224));
            if (WITH_128.contains(photo)) {
                cases.add(Arguments.of(photo, "r146c128", PreprocessSpec.imagenet(146, 128)));
            }
        }
        PreprocessSpec exact = new PreprocessSpec(ResizePolicy.EXACT, 200, 192,
                PreprocessSpec.IMAGENET_224.mean(), PreprocessSpec.IMAGENET_224.std(), 1.0 / 255.0, ColourOrder.RGB);
        cases.add(Arguments.of("chelsea.png", "e200c192", exact));
        cases.add(Arguments.of("coffee.bmp", "e200c192", exact));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("photos")
    void decodeAndPreprocessMatchTorchvision(String photo, String transform, PreprocessSpec spec) throws Exception {
        BufferedImage image = new ImageDecoder(DecodeLimits.DEFAULT).decode(Fixtures.bytes(photo), photo);
        Fixtures.Reference reference = Fixtures.reference(photo + "." + transform + ".bin.gz");
        assertEquals(spec.cropSize(), reference.width());

        FloatBuffer out = FloatBuffer.allocate(spec.tensorLength());
        new ImagePreprocessor(spec).preprocess(image, out);

        assertParity(photo + " " + transform, reference.normalised(spec), out.array());
    }

    /** The camera path: decoding into a reused image (BGR for colour JPEGs) changes nothing. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("photos")
    void streamDecodingMatchesTorchvisionToo(String photo, String transform, PreprocessSpec spec) throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        BufferedImage first = decoder.decodeReusing(Fixtures.bytes(photo), photo, null);
        BufferedImage image = decoder.decodeReusing(Fixtures.bytes(photo), photo, first);
        FloatBuffer out = FloatBuffer.allocate(spec.tensorLength());
        new ImagePreprocessor(spec).preprocess(image, out);
        assertParity(photo + " " + transform + " (reused " + image.getType() + ")",
                Fixtures.reference(photo + "." + transform + ".bin.gz").normalised(spec), out.array());
    }

    static Stream<Arguments> synthetic() {
        PreprocessSpec base = PreprocessSpec.IMAGENET_224;
        return Stream.of(
                Arguments.of("synthetic_37x90", 37, 90, new PreprocessSpec(ResizePolicy.NONE, 0, 64,
                        base.mean(), base.std(), 1.0 / 255.0, ColourOrder.RGB)),
                Arguments.of("synthetic_33x40", 33, 40, PreprocessSpec.imagenet(64, 56)),
                Arguments.of("synthetic_97x61", 97, 61, PreprocessSpec.imagenet(40, 33)),
                Arguments.of("synthetic_61x97", 61, 97, new PreprocessSpec(ResizePolicy.EXACT, 50, 45,
                        base.mean(), base.std(), 1.0 / 255.0, ColourOrder.RGB)));
    }

    /** Raw RGB frames: upscaling, no resize with zero padding on one side, odd sizes, exact resize. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("synthetic")
    void rawFramesMatchTorchvision(String name, int width, int height, PreprocessSpec spec) throws Exception {
        byte[] rgb = Fixtures.gunzip(name + ".rgb.gz");
        FloatBuffer out = FloatBuffer.allocate(spec.tensorLength());
        new ImagePreprocessor(spec).preprocessRgb(rgb, width, height, out);
        assertParity(name, Fixtures.reference(name + ".bin.gz").normalised(spec), out.array());
    }

    private static void assertParity(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": tensor length");
        double max = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > max) {
                max = d;
                worst = i;
            }
        }
        double maxDiff = max;
        int at = worst;
        assertTrue(maxDiff <= TOLERANCE, () -> what + ": max abs difference " + maxDiff + " at index " + at
                + " (expected " + expected[at] + ", got " + actual[at] + "), allowed " + TOLERANCE);
    }
}
