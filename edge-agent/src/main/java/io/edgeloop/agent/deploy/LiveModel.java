package io.edgeloop.agent.deploy;

import ai.onnxruntime.OrtException;
import io.edgeloop.agent.inference.ModelRuntime;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the cameras serve, swappable while they run. Workers hold a {@link Lease} on the runtime they use and
 * compare it with {@link #current()} between frames (one volatile read); after {@link #swap} they release the old
 * lease and take one on the new runtime. A replaced runtime is closed when its last lease is released, so no frame
 * in flight loses its session.
 */
public final class LiveModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveModel.class);

    private volatile ModelRuntime current;
    /** Lease counts per runtime still open (the current one and replaced ones with frames in flight). */
    private final Map<ModelRuntime, Integer> leases = new IdentityHashMap<>();
    private boolean closed;

    public LiveModel(ModelRuntime initial) {
        this.current = Objects.requireNonNull(initial, "initial");
        leases.put(initial, 0);
    }

    /** The runtime new frames should use. */
    public ModelRuntime current() {
        return current;
    }

    /** Takes a lease on the current runtime; release it with {@link Lease#close()}. */
    public synchronized Lease acquire() {
        if (closed) {
            throw new IllegalStateException("the live model is closed");
        }
        ModelRuntime r = current;
        leases.merge(r, 1, Integer::sum);
        return new Lease(r);
    }

    /**
     * Makes {@code next} the current runtime. The previous one is closed now if no worker holds it, otherwise when
     * the last worker releases it.
     *
     * @return the runtime that was current
     */
    public synchronized ModelRuntime swap(ModelRuntime next) {
        Objects.requireNonNull(next, "next");
        if (closed) {
            throw new IllegalStateException("the live model is closed");
        }
        ModelRuntime previous = current;
        if (previous == next) {
            return previous;
        }
        leases.putIfAbsent(next, 0);
        current = next;
        closeIfUnused(previous);
        return previous;
    }

    /** How many runtimes are open (current plus replaced ones still leased): for tests and metrics. */
    public synchronized int openRuntimes() {
        return leases.size();
    }

    private synchronized void release(ModelRuntime r) {
        Integer n = leases.get(r);
        if (n == null) {
            return;
        }
        leases.put(r, n - 1);
        if (r != current || closed) {
            closeIfUnused(r);
        }
    }

    private void closeIfUnused(ModelRuntime r) {
        Integer n = leases.get(r);
        if (n != null && n <= 0) {
            leases.remove(r);
            try {
                r.close();
                LOG.info("closed the ONNX Runtime session of model {} {}", r.spec().name(), r.spec().version());
            } catch (OrtException e) {
                LOG.warn("closing the session of model {} {} failed: {}", r.spec().name(), r.spec().version(),
                        e.getMessage());
            }
        }
    }

    /** Closes every runtime no worker holds; held ones close when released. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ModelRuntime r : java.util.List.copyOf(leases.keySet())) {
            closeIfUnused(r);
        }
    }

    /** One worker's hold on a runtime. Not thread-safe; release once. */
    public final class Lease implements AutoCloseable {
        private final ModelRuntime runtime;
        private boolean released;

        private Lease(ModelRuntime runtime) {
            this.runtime = runtime;
        }

        public ModelRuntime runtime() {
            return runtime;
        }

        /** Whether a newer runtime was swapped in since this lease was taken. */
        public boolean stale() {
            return current != runtime;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(runtime);
            }
        }
    }
}
