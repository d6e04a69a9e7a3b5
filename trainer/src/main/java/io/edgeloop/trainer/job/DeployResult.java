package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.trainer.deploy.DeployTarget;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link DeployJob} ended.
 *
 * @param command the signed command that was published (retained)
 * @param target  who it was for
 * @param topic   where it was published
 * @param outcome published only, active everywhere expected, refused somewhere, or no final status in time
 * @param devices each reporting device's last deploy state
 * @param summary one line for people: {@code gate-01 active, gate-02 rejected (signature names key …)}
 */
public record DeployResult(DeployCommand command, DeployTarget target, String topic, Outcome outcome,
                           Map<String, DeployStatus> devices, String summary) {

    /** How the deploy ended. */
    public enum Outcome {
        /** Published without waiting for the devices. */
        PUBLISHED,
        /** Every expected device reports {@code active}. */
        ACTIVE,
        /** Every expected device reached a final state; at least one is {@code rejected} or {@code rolled-back}. */
        NOT_ACTIVE,
        /** The wait ended before every expected device reached a final state. */
        NO_FINAL_STATUS
    }

    public DeployResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(outcome, "outcome");
        devices = Map.copyOf(devices);
        Objects.requireNonNull(summary, "summary");
    }

    /** Whether the deploy did what was asked: published, or active everywhere when waiting. */
    public boolean succeeded() {
        return outcome == Outcome.PUBLISHED || outcome == Outcome.ACTIVE;
    }
}
