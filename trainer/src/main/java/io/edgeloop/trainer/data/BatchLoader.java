package io.edgeloop.trainer.data;

import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Turns samples into NCHW float batches on a thread pool, one batch prefetched ahead of the consumer. Each
 * image's augmentation draws from its own generator seeded by (seed, epoch, position in the sample list), so the
 * batches are identical whatever the thread scheduling, and a resumed run sees the same images as an
 * uninterrupted one.
 */
public final class BatchLoader {

    private final ImageStore store;
    private final Augmentation augmentation;
    private final ExecutorService pool;

    /**
     * @param pool decoding threads, owned by the caller
     */
    public BatchLoader(ImageStore store, Augmentation augmentation, ExecutorService pool) {
        this.store = Objects.requireNonNull(store, "store");
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The batches of one pass over {@code order} (indices into {@code samples}).
     *
     * @param augment random augmentation, else the eval transform
     */
    public BatchStream stream(List<ImageSample> samples, int[] order, int batchSize, boolean augment, long seed,
                              int epoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", allowed >= 1");
        }
        return new BatchStream(samples, order, batchSize, augment, seed, epoch);
    }

    /** Sequential, unshuffled batches (evaluation). */
    public BatchStream inOrder(List<ImageSample> samples, int batchSize) {
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return stream(samples, order, batchSize, false, 0, 0);
    }

    /** Images are prepared in this many parallel chunks per batch. */
    private static final int CHUNKS_PER_BATCH = 8;

    private record Pending(Batch batch, List<Future<?>> parts) {
    }

    /** Batches of one pass; close it to cancel the prefetch. Not thread-safe. */
    public final class BatchStream implements Iterator<Batch>, AutoCloseable {

        private final List<ImageSample> samples;
        private final int[] order;
        private final int batchSize;
        private final boolean augment;
        private final long seed;
        private final int epoch;
        private final int imageSize = store.spec().cropSize();
        private final FloatBuffer[] buffers = new FloatBuffer[2];
        private int nextStart;
        private int bufferTurn;
        private Pending pending;

        private BatchStream(List<ImageSample> samples, int[] order, int batchSize, boolean augment, long seed,
                            int epoch) {
            this.samples = samples;
            this.order = order;
            this.batchSize = batchSize;
            this.augment = augment;
            this.seed = seed;
            this.epoch = epoch;
            schedule();
        }

        /** Number of batches in the pass. */
        public int batchCount() {
            return (order.length + batchSize - 1) / batchSize;
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public Batch next() {
            if (pending == null) {
                throw new NoSuchElementException("no more batches");
            }
            Pending current = pending;
            try {
                for (Future<?> part : current.parts()) {
                    part.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new CancellationException("interrupted while loading a batch");
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(cause.getMessage(), cause);
            }
            schedule();
            return current.batch();
        }

        @Override
        public void close() {
            if (pending != null) {
                pending.parts().forEach(f -> f.cancel(true));
                pending = null;
            }
        }

        /** Submits the next batch's images as independent chunks (no task waits on another: no pool deadlock). */
        private void schedule() {
            if (nextStart >= order.length) {
                pending = null;
                return;
            }
            int start = nextStart;
            int n = Math.min(batchSize, order.length - start);
            nextStart += n;
            int turn = bufferTurn;
            bufferTurn ^= 1;
            int perImage = 3 * imageSize * imageSize;
            if (buffers[turn] == null) {
                buffers[turn] = ByteBuffer.allocateDirect(4 * batchSize * perImage).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
            }
            FloatBuffer buffer = buffers[turn];
            int[] labels = new int[n];
            int[] indices = new int[n];
            List<Future<?>> parts = new ArrayList<>();
            int chunk = Math.max(1, (n + CHUNKS_PER_BATCH - 1) / CHUNKS_PER_BATCH);
            for (int from = 0; from < n; from += chunk) {
                int lo = from;
                int hi = Math.min(n, from + chunk);
                parts.add(pool.submit(() -> {
                    ImagePreprocessor normaliser = new ImagePreprocessor(store.spec());
                    AugmentTransform transform = augment ? new AugmentTransform(augmentation, store.spec()) : null;
                    for (int i = lo; i < hi; i++) {
                        int sampleIndex = order[start + i];
                        ImageSample s = samples.get(sampleIndex);
                        labels[i] = s.label();
                        indices[i] = sampleIndex;
                        FloatBuffer slot = buffer.duplicate();
                        slot.position(i * perImage);
                        normaliser.normaliseCropped(image(s, transform, start + i), slot);
                    }
                }));
            }
            FloatBuffer view = buffer.duplicate();
            view.position(0).limit(n * perImage);
            pending = new Pending(new Batch(view.slice(), labels, indices, imageSize), parts);
        }

        private BufferedImage image(ImageSample s, AugmentTransform transform, int position) {
            try {
                if (transform == null) {
                    return store.prepared(s.file(), ImageStore.Preparation.EVAL);
                }
                BufferedImage source = store.prepared(s.file(), ImageStore.Preparation.AUGMENT);
                return transform.apply(source, new SplittableRandom(mix(seed, epoch, position)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s.file() + " (it was readable when the dataset"
                        + " was loaded): " + e.getMessage(), e);
            } catch (ImageRejectedException e) {
                throw new IllegalStateException("cannot decode " + s.file() + " (it was readable when the dataset"
                        + " was loaded): " + e.getMessage(), e);
            }
        }
    }

    /** A well-mixed 64-bit seed from three numbers (SplitMix64 finaliser). */
    public static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
