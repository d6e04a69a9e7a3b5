package io.edgeloop.trainer.job;

import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Preprocessing a user declared for a card-less model ({@code --pixel-scale/--mean/--std/--channel-order/--resize/
 * --crop}), before the model's input side is known: {@link #resolve} turns it into a {@link PreprocessSpec} for that
 * side. Left-out sizes follow torchvision (crop = the input side, shorter side resized to 256/224 of it).
 *
 * @param valueScale factor on 0–255 samples before mean/std
 * @param mean       per-channel mean, in {@code order}
 * @param std        per-channel std, in {@code order}
 * @param order      channel order the model takes
 * @param resize     shorter side before the centre crop, when given
 * @param crop       centre crop side, when given (must equal the model's input side)
 */
public record DeclaredPreprocessing(double valueScale, List<Double> mean, List<Double> std, ColourOrder order,
                                    OptionalInt resize, OptionalInt crop) {

    public DeclaredPreprocessing {
        Objects.requireNonNull(order, "order");
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(crop, "crop");
    }

    /** The spec for a model whose input is {@code side × side}; a given crop or resize must fit it. */
    public PreprocessSpec resolve(int side) {
        if (crop.isPresent() && crop.getAsInt() != side) {
            throw new IllegalArgumentException("--crop is " + crop.getAsInt() + " but the model's input is " + side
                    + "x" + side + ", allowed " + side);
        }
        int resizeSide = resize.orElse((int) Math.round(side * 256.0 / 224.0));
        if (resizeSide < side || resizeSide > PreprocessSpec.MAX_SIDE) {
            throw new IllegalArgumentException("--resize is " + resizeSide + ", allowed " + side + " (the model's"
                    + " input side) to " + PreprocessSpec.MAX_SIDE);
        }
        return new PreprocessSpec(ResizePolicy.SHORTER_SIDE, resizeSide, side, mean, std, valueScale, order);
    }
}
