package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.job.DeclaredPreprocessing;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * The preprocessing a card-less base was trained with, declared on the command line ({@code fit}, {@code inspect}).
 * Options left out keep torchvision's ImageNet values; none given means no override at all, and the job then
 * takes the model card's preprocessing or, for a plain ONNX base, {@link PreprocessSpec#IMAGENET_224}.
 */
public final class PreprocessOptions {

    @Option(names = "--pixel-scale", paramLabel = "S",
            description = "Factor on 0-255 samples before mean/std: 1/255 (torchvision) or 1 (caffe-style);"
                    + " a fraction or a decimal. Default: 1/255.")
    String pixelScale;

    @Option(names = "--mean", paramLabel = "A,B,C", split = ",",
            description = "Per-channel mean, in --channel-order, after --pixel-scale. Default: 0.485,0.456,0.406.")
    List<Double> mean;

    @Option(names = "--std", paramLabel = "A,B,C", split = ",",
            description = "Per-channel std, in --channel-order, all > 0. Default: 0.229,0.224,0.225.")
    List<Double> std;

    @Option(names = "--channel-order", paramLabel = "O", description = "rgb or bgr. Default: rgb.")
    String channelOrder;

    @Option(names = "--resize", paramLabel = "N",
            description = "Shorter side before the centre crop, >= --crop. Default: 256/224 of the crop.")
    Integer resize;

    @Option(names = "--crop", paramLabel = "N",
            description = "Centre crop side = the model's input side. Default: the model's input side.")
    Integer crop;

    /** The declared preprocessing, or empty when none of the options was given. */
    public Optional<DeclaredPreprocessing> declared() {
        if (pixelScale == null && mean == null && std == null && channelOrder == null && resize == null
                && crop == null) {
            return Optional.empty();
        }
        PreprocessSpec d = PreprocessSpec.IMAGENET_224;
        if (crop != null) {
            Checks.range("--crop", crop, 1, PreprocessSpec.MAX_SIDE);
        }
        if (resize != null) {
            Checks.range("--resize", resize, crop == null ? 1 : crop, PreprocessSpec.MAX_SIDE);
        }
        return Optional.of(new DeclaredPreprocessing(pixelScale == null ? d.valueScale() : scale(pixelScale),
                mean == null ? d.mean() : three("--mean", mean, false),
                std == null ? d.std() : three("--std", std, true),
                channelOrder == null ? d.colourOrder() : order(channelOrder),
                resize == null ? OptionalInt.empty() : OptionalInt.of(resize),
                crop == null ? OptionalInt.empty() : OptionalInt.of(crop)));
    }

    /** {@code --crop} when given: the model's input side must equal it. */
    public Optional<Integer> crop() {
        return Optional.ofNullable(crop);
    }

    static double scale(String text) {
        String allowed = ", allowed a number > 0 such as 1/255, 0.00392 or 1";
        double value;
        try {
            int slash = text.indexOf('/');
            value = slash < 0 ? Double.parseDouble(text.trim())
                    : Double.parseDouble(text.substring(0, slash).trim())
                            / Double.parseDouble(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--pixel-scale is " + text + allowed, e);
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--pixel-scale is " + text + allowed);
        }
        return value;
    }

    private static ColourOrder order(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        Checks.oneOf("--channel-order", text.toLowerCase(Locale.ROOT), List.of("rgb", "bgr"));
        return ColourOrder.valueOf(name);
    }

    private static List<Double> three(String option, List<Double> values, boolean positive) {
        String allowed = positive ? "3 numbers > 0, one per channel" : "3 numbers, one per channel";
        boolean ok = values.size() == 3 && values.stream().allMatch(v -> Double.isFinite(v) && (!positive || v > 0));
        if (!ok) {
            throw new IllegalArgumentException(option + " is " + String.join(",", values.stream()
                    .map(v -> stripZero(v)).toList()) + ", allowed " + allowed);
        }
        return values;
    }

    private static String stripZero(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
