package io.edgeloop.agent.inference;

import java.util.Objects;

/**
 * How an ONNX Runtime session is opened: the same for the model at start, a deployed one and a rolled-back one.
 *
 * @param intraOpThreads ORT intra-op threads (>= 1)
 * @param optimization   graph optimisation level
 * @param spinWait       whether ORT's intra-op threads spin while waiting for work (ORT's default). Spinning makes
 *                       raw inference a little faster when ORT has the cores to itself, but on a device the
 *                       cameras' decode threads need those cores: measured in the pipeline benchmark with two
 *                       intra-op threads on two cores, turning it off raised the delivered frames/s by 13 %.
 *                       Irrelevant with one thread.
 */
public record SessionSettings(int intraOpThreads, Optimization optimization, boolean spinWait) {

    public SessionSettings {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads is " + intraOpThreads + ", allowed >= 1");
        }
        Objects.requireNonNull(optimization, "optimization");
    }
}
