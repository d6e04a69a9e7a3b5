package io.edgeloop.trainer.bench;

import io.edgeloop.trainer.model.FineTuneStrategy;

/** What one benchmark run trains, and how it feeds the network, with the name the Python reference uses. */
enum BenchStrategy {
    /** Backbone frozen in inference mode and run every step; the head trains. */
    HEAD("head", FineTuneStrategy.HEAD, false),
    /** The head trains on backbone features computed once (FineTuner's feature cache). */
    HEAD_CACHED("head-cached", FineTuneStrategy.HEAD, true),
    /** Everything trains. */
    FULL("full", FineTuneStrategy.FULL, false);

    private final String id;
    private final FineTuneStrategy strategy;
    private final boolean cachedFeatures;

    BenchStrategy(String id, FineTuneStrategy strategy, boolean cachedFeatures) {
        this.id = id;
        this.strategy = strategy;
        this.cachedFeatures = cachedFeatures;
    }

    String id() {
        return id;
    }

    FineTuneStrategy strategy() {
        return strategy;
    }

    boolean cachedFeatures() {
        return cachedFeatures;
    }

    static BenchStrategy parse(String id) {
        for (BenchStrategy s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy '" + id + "' is unknown, expected one of head, head-cached, full");
    }
}
