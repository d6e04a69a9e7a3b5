package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.trainer.deploy.CanarySize;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A staged deploy as {@link RolloutJob} runs it: the deploy itself (model, key, broker, {@code --wait} per wave)
 * and whom it reaches first. Exactly one of {@code group} and {@code canary} is present.
 *
 * @param deploy      the deploy; its target is the fleet for a canary; {@code waitFor} bounds each wave
 * @param group       {@code --group G}: only the online devices of this group, one wave
 * @param canary      {@code --canary N% | N}: this many devices first, then the rest of the online fleet
 * @param canaryGroup {@code --canary-group G}: take the canary from this group
 * @param soak        {@code --soak SECONDS}: how long the canary must stay healthy once active
 * @param statusWait  how long to collect the devices' retained status before choosing
 * @param shadow      {@code --shadow}: the canary wave runs the model as a shadow first and must promote it (by the
 *                    shadow's rule) before the rest get it; only with a canary
 */
public record RolloutRequest(DeployRequest deploy, Optional<String> group, Optional<CanarySize> canary,
                             Optional<String> canaryGroup, Duration soak, Duration statusWait,
                             Optional<ShadowRequest> shadow) {

    /** A rollout without a shadow canary. */
    public RolloutRequest(DeployRequest deploy, Optional<String> group, Optional<CanarySize> canary,
                          Optional<String> canaryGroup, Duration soak, Duration statusWait) {
        this(deploy, group, canary, canaryGroup, soak, statusWait, Optional.empty());
    }

    public RolloutRequest {
        Objects.requireNonNull(deploy, "deploy");
        if (group.isPresent() == canary.isPresent()) {
            throw new IllegalArgumentException("a rollout needs exactly one of --group G and --fleet --canary N");
        }
        if (canary.isPresent() && !deploy.target().isFleet()) {
            throw new IllegalArgumentException("--canary " + canary.get() + " needs --fleet (the canary is taken"
                    + " from the fleet), not --device " + deploy.target());
        }
        if (canaryGroup.isPresent() && canary.isEmpty()) {
            throw new IllegalArgumentException("--canary-group " + canaryGroup.get() + " needs --fleet --canary N");
        }
        if (group.isPresent() && deploy.waitFor().isZero()) {
            throw new IllegalArgumentException("--group " + group.get() + " needs --wait SECONDS (each device's"
                    + " command is followed until it is active), allowed 1 or more seconds");
        }
        if (canary.isPresent() && deploy.waitFor().isZero()) {
            throw new IllegalArgumentException("--canary needs --wait SECONDS (a canary is judged by the devices'"
                    + " status), allowed 1 or more seconds");
        }
        if (soak == null || soak.isNegative()) {
            throw new IllegalArgumentException("--soak is " + (soak == null ? "missing" : soak.toSeconds() + " s")
                    + ", allowed 0 or more seconds");
        }
        Objects.requireNonNull(statusWait, "statusWait");
        Objects.requireNonNull(shadow, "shadow");
        if (shadow.isPresent() && canary.isEmpty()) {
            throw new IllegalArgumentException("--shadow with --group " + group.orElse("") + " is not supported,"
                    + " allowed --fleet --canary N --shadow (the canary shadows, then the rest switch)");
        }
        if (shadow.isPresent() && shadow.get().seconds() != null
                && deploy.waitFor().toSeconds() <= shadow.get().seconds()) {
            throw new IllegalArgumentException("--wait " + deploy.waitFor().toSeconds() + " s is not longer than"
                    + " the canary's shadow (" + shadow.get().seconds() + " s), allowed a --wait longer than --shadow"
                    + " (the canary wave is followed until its devices promote)");
        }
    }
}
