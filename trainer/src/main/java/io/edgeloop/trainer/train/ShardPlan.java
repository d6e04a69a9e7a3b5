package io.edgeloop.trainer.train;

import java.util.Arrays;

/**
 * How one batch of {@code n} images is split over {@code devices} shards: contiguous rows, sizes differing by at most
 * one, the larger shards first (like {@code torch.chunk} evened out). Shard 0 is never empty; later shards are
 * empty when the batch has fewer rows than there are devices (the last, short batch of an epoch), and are skipped.
 */
public final class ShardPlan {

    private final int[] offsets;

    private ShardPlan(int[] offsets) {
        this.offsets = offsets;
    }

    /**
     * @param rows    images in the batch, at least 1
     * @param devices number of shards, at least 1
     */
    public static ShardPlan split(int rows, int devices) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows is " + rows + ", allowed >= 1");
        }
        if (devices < 1) {
            throw new IllegalArgumentException("devices is " + devices + ", allowed >= 1");
        }
        int base = rows / devices;
        int larger = rows % devices;
        int[] offsets = new int[devices + 1];
        for (int i = 0; i < devices; i++) {
            offsets[i + 1] = offsets[i] + base + (i < larger ? 1 : 0);
        }
        return new ShardPlan(offsets);
    }

    /** Number of shards (= devices), empty ones included. */
    public int shards() {
        return offsets.length - 1;
    }

    /** First row of shard {@code i}. */
    public int from(int i) {
        return offsets[i];
    }

    /** One past the last row of shard {@code i}. */
    public int to(int i) {
        return offsets[i + 1];
    }

    /** Rows in shard {@code i}; 0 for a skipped shard. */
    public int size(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** The shard sizes in order, e.g. {@code [4, 3]} for 7 rows on 2 devices. */
    public int[] sizes() {
        int[] sizes = new int[shards()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = size(i);
        }
        return sizes;
    }

    @Override
    public String toString() {
        return "ShardPlan" + Arrays.toString(sizes());
    }
}
