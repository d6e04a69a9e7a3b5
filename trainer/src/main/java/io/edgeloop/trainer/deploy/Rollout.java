package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a {@link RolloutPlan} wave by wave with per-device retained commands (never the fleet topic while it
 * runs): publishes the command to each device of a wave, waits until every one reports {@code active}, and for a
 * canary wave watches them for the soak time (no {@code rolled-back}, the device's status still names the new
 * model). With a shadow canary the canary wave gets the command as a shadow deploy: its devices run the candidate
 * beside their active model and report agreement, and the wave is active only once each device promoted it (by the
 * shadow's rule); a {@code shadow-dropped} halts like a rollback. A {@code rejected}, {@code rolled-back} or
 * {@code shadow-dropped} anywhere halts: no further device gets the command. Devices that already switched keep the
 * model (no automatic revert). Not thread-safe; one rollout per instance.
 */
public final class Rollout {

    /** Follows a rollout as it happens. Called on the calling thread. */
    public interface Listener {

        /** Wave {@code index} (0-based) of {@code count} starts with these devices. */
        default void wave(int index, int count, List<String> devices, boolean canary) {
        }

        /** A device reported a new state of this deploy. */
        default void status(DeployStatus status) {
        }

        /** The canary wave is active; it is watched for {@code soak}. */
        default void soaking(List<String> devices, Duration soak) {
        }
    }

    /**
     * How a rollout ended.
     *
     * @param complete whether every device of the plan reports {@code active}
     * @param switched devices that reported {@code active}, in order
     * @param failed   the device that halted the rollout and why ({@code rolled-back (reason)}), when halted
     * @param waveOf   the 0-based wave that was running when it ended
     * @param notSent  devices that never got the command
     * @param pending  devices that got the command but reached no final state (timeout or halt)
     */
    public record Outcome(boolean complete, List<String> switched, Optional<String> failed, int waveOf,
                          List<String> notSent, List<String> pending) {
        public Outcome {
            switched = List.copyOf(switched);
            Objects.requireNonNull(failed, "failed");
            notSent = List.copyOf(notSent);
            pending = List.copyOf(pending);
        }
    }

    private static final Duration REASON_GRACE = Duration.ofSeconds(2);

    private final Deployer deployer;
    private final DeployCommand command;
    private final DeployCommand canaryCommand;
    private final ModelRef model;

    public Rollout(Deployer deployer, DeployCommand command) {
        this(deployer, command, command);
    }

    /**
     * @param canaryCommand what the canary wave gets: {@code command} itself, or {@code command} as a shadow deploy
     *                      ({@link DeployCommand#withShadow}); the other waves get {@code command}
     */
    public Rollout(Deployer deployer, DeployCommand command, DeployCommand canaryCommand) {
        this.deployer = Objects.requireNonNull(deployer, "deployer");
        this.command = Objects.requireNonNull(command, "command");
        this.canaryCommand = Objects.requireNonNull(canaryCommand, "canaryCommand");
        if (!canaryCommand.sha256().equals(command.sha256()) || !canaryCommand.issuedAt().equals(command.issuedAt())) {
            throw new IllegalArgumentException("the canary command must be the same signed command (model and"
                    + " issuedAt), with or without a shadow");
        }
        this.model = new ModelRef(command.name(), command.version(), command.sha256());
    }

    /**
     * Runs the plan.
     *
     * @param waitPerWave how long each wave may take to become active
     * @param soak        how long a canary wave must stay healthy once active
     */
    public Outcome run(RolloutPlan plan, Duration waitPerWave, Duration soak, Listener listener)
            throws org.eclipse.paho.mqttv5.common.MqttException, InterruptedException {
        deployer.watchFleet();
        List<String> switched = new ArrayList<>();
        List<List<String>> waves = plan.waves();
        for (int w = 0; w < waves.size(); w++) {
            List<String> wave = waves.get(w);
            boolean canary = plan.canary() && w == 0;
            listener.wave(w, waves.size(), wave, canary);
            Map<String, DeployStatus> latest = new LinkedHashMap<>();
            for (String device : wave) {
                deployer.publish(DeployTarget.device(device), canary ? canaryCommand : command);
            }
            Optional<String> failure = follow(wave, latest, waitPerWave, listener, false);
            if (failure.isEmpty() && canary && allActive(wave, latest) && soak.compareTo(Duration.ZERO) > 0) {
                listener.soaking(wave, soak);
                failure = follow(wave, latest, soak, listener, true);
            }
            for (String device : wave) {
                DeployStatus s = latest.get(device);
                if (s != null && s.state() == DeployState.ACTIVE) {
                    switched.add(device);
                }
            }
            List<String> pending = wave.stream().filter(d -> latest.get(d) == null
                    || !DeployProgress.isFinal(latest.get(d).state())).toList();
            if (failure.isPresent() || !pending.isEmpty()) {
                List<String> notSent = waves.subList(w + 1, waves.size()).stream().flatMap(List::stream).toList();
                return new Outcome(false, switched, failure, w, notSent, pending);
            }
        }
        return new Outcome(true, switched, Optional.empty(), waves.size() - 1, List.of(), List.of());
    }

    /**
     * Takes status messages for {@code wait}: until every device of the wave is active ({@code soaking} false), or
     * for the whole time ({@code soaking} true). Returns the first failure: {@code gate-02 rolled-back (…)}.
     */
    private Optional<String> follow(List<String> wave, Map<String, DeployStatus> latest, Duration wait,
                                    Listener listener, boolean soaking) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Optional<String> mismatch = Optional.empty();
        while (soaking || !allActive(wave, latest)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Optional<ReceivedMessage> m = deployer.next(Duration.ofNanos(left));
            if (m.isEmpty()) {
                break;
            }
            if (m.get().payload() instanceof DeployStatus s && wave.contains(s.device()) && isThisModel(s.model())
                    && !s.at().isBefore(command.issuedAt())) {
                DeployStatus previous = latest.get(s.device());
                // a shadow's interim reports repeat its state with new figures: each is news
                if (previous != null && previous.state() == s.state() && (s.state() != DeployState.SHADOWING
                        || Objects.equals(previous.shadow(), s.shadow()))) {
                    continue;
                }
                latest.put(s.device(), s);
                listener.status(s);
                if (s.state().isFailure()) {
                    return Optional.of(s.device() + " " + DeployProgress.describe(s));
                }
            } else if (soaking && m.get().payload() instanceof DeviceStatus s && wave.contains(s.device())) {
                if (s.state() == DeviceState.OFFLINE) {
                    return Optional.of(s.device() + " went offline during the soak");
                }
                if ((s.model() == null || !isThisModel(s.model())) && mismatch.isEmpty()) {
                    // The agent restores the previous model and republishes its status just before it reports
                    // rolled-back with the reason: wait a moment for that, which says more.
                    deadline = Math.min(deadline, System.nanoTime() + REASON_GRACE.toNanos());
                    mismatch = Optional.of(s.device() + " reports " + (s.model() == null ? "no model"
                            : s.model().name() + " " + s.model().version()) + " during the soak, not "
                            + model.name() + " " + model.version());
                }
            }
        }
        return mismatch;
    }

    private boolean isThisModel(ModelRef m) {
        return m.name().equals(model.name()) && m.version().equals(model.version())
                && model.sha256().equals(m.sha256());
    }

    private static boolean allActive(List<String> wave, Map<String, DeployStatus> latest) {
        return wave.stream().allMatch(d -> latest.get(d) != null && latest.get(d).state() == DeployState.ACTIVE);
    }
}
