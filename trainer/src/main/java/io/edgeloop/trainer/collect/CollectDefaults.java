package io.edgeloop.trainer.collect;

/** Default collector thresholds, with the measurements behind them. */
public final class CollectDefaults {

    /**
     * Largest difference-hash distance treated as a near duplicate. Measured on the 560 committed Fashion-MNIST
     * images (28×28, the worst case: tiny, flat backgrounds): of 156,520 pairs of distinct images 1 is within 1 bit,
     * 14 within 2, 60 within 3; the same image re-encoded at JPEG quality 50 instead of 90 stays within 2 bits in
     * 110 of 560 cases. 2 keeps wrongly skipped distinct images below 1 in 10,000 pairs. On 22 real photos (Debian
     * python3-skimage, at least 200 px) every re-encode stayed within 2 bits and distinct photos were at least 14
     * apart. See docs/closed-loop.md.
     */
    public static final int NEAR_DUPLICATE_BITS = 2;

    private CollectDefaults() {
    }
}
