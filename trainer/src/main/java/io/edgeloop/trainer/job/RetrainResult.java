package io.edgeloop.trainer.job;

import io.edgeloop.trainer.loop.LabelledExamples;
import io.edgeloop.trainer.registry.RegisteredVersion;
import java.util.Objects;
import java.util.Optional;

/**
 * How one {@link RetrainJob} round ended.
 *
 * @param outcome   what happened
 * @param reason    one line for people: why nothing was done, what refused the candidate, how the deploy ended
 * @param active    the version the round continued from; empty when it stopped before finding it
 * @param labels    the inbox's examples as the round sorted them; empty when it stopped before reading them
 * @param candidate the version the round trained and registered; empty when it trained none
 * @param gate      the gate's figures; empty when there was no candidate
 * @param deploy    how the deploy ended; empty when nothing was deployed
 */
public record RetrainResult(Outcome outcome, String reason, Optional<RegisteredVersion> active,
                            Optional<LabelledExamples> labels, Optional<RegisteredVersion> candidate,
                            Optional<GateResult> gate, Optional<DeployResult> deploy) {

    /** How a round ended. */
    public enum Outcome {
        /** Another round holds the work folder's lock; nothing done. */
        BUSY,
        /** Fewer usable new labels than configured; nothing trained. */
        NOTHING_TO_DO,
        /** The candidate was trained and registered, and the gate refused it; nothing deployed. */
        REFUSED,
        /** The candidate passed the gate and was deployed (active on the devices, or published without waiting). */
        DEPLOYED,
        /** The candidate passed the gate but the deploy did not become active everywhere. */
        NOT_DEPLOYED
    }

    public RetrainResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(deploy, "deploy");
    }

    /** Whether the round did nothing wrong: busy, nothing to do, or deployed. */
    public boolean succeeded() {
        return outcome == Outcome.BUSY || outcome == Outcome.NOTHING_TO_DO || outcome == Outcome.DEPLOYED;
    }
}
