package io.edgeloop.trainer.arch;

/** Channel arithmetic shared by the builders. */
final class Channels {

    /** torchvision's default rounding of scaled channel counts. */
    static final int DIVISOR = 8;

    private Channels() {
    }

    /**
     * torchvision's {@code _make_divisible(v, 8)}: round to the nearest multiple of 8, at least 8, and never more
     * than 10% below {@code v}.
     */
    static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }

    static int scaled(int channels, double width) {
        return makeDivisible(channels * width, DIVISOR);
    }
}
