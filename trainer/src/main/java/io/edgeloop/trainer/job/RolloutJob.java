package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.trainer.broker.BrokerException;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.deploy.Deployer;
import io.edgeloop.trainer.deploy.Rollout;
import io.edgeloop.trainer.deploy.RolloutPlan;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A staged deploy ({@code trainer deploy --group G}, {@code trainer deploy --fleet --canary N}): signs once, reads
 * the devices' retained status, plans the waves ({@link RolloutPlan}) and runs them ({@link Rollout}) with
 * per-device retained commands. With a shadow ({@code --fleet --canary N --shadow …}) the canary devices run the
 * model as a shadow and must promote it by the shadow's rule before any other device gets it.
 *
 * <p>Why never the fleet topic while it runs: a retained fleet command reaches every device, including the ones
 * a halted rollout must not touch. Only when every wave of a {@code --fleet} canary rollout is active is the same
 * signed command (same {@code issuedAt}) published retained on the fleet topic, as the desired state for devices
 * that were offline: the devices that switched ignore it (not issued after what they applied), and an older fleet
 * command left from before can never override the rollout (devices apply only newer commands). A halted rollout
 * publishes nothing more and clears the retained command of the device that refused, so it is not retried after
 * that device restarts; devices already switched keep the new model.
 */
public final class RolloutJob {

    private final DeployJob signer;

    /** Stamps the command with {@code clock}. */
    public RolloutJob(Clock clock) {
        this.signer = new DeployJob(clock);
    }

    /** The plan, the outcome and the command. */
    public record Result(DeployCommand command, RolloutPlan plan, Rollout.Outcome outcome, boolean fleetRetained) {
    }

    /**
     * Runs the rollout.
     *
     * @throws IllegalArgumentException for bad input (unknown group, canary as large as the fleet), before any
     *                                  command is published
     * @throws BrokerException          if the broker cannot be reached
     */
    public Result run(RolloutRequest request, Rollout.Listener listener, java.util.function.Consumer<RolloutPlan>
            planned) throws IOException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        DeployRequest deploy = request.deploy();
        DeployCommand command = signer.sign(deploy);
        Map<String, DeviceStatus> fleet = new StatusSource(deploy.broker(), request.statusWait(), deploy.topics(),
                deploy.clientId() + "-status", deploy.credentials()).read();
        RolloutPlan plan = request.group().isPresent()
                ? RolloutPlan.group(fleet, request.group().get())
                : RolloutPlan.canary(fleet, request.canary().orElseThrow(), request.canaryGroup());
        planned.accept(plan);
        try (Deployer deployer = Deployer.connect(deploy.broker(), deploy.clientId(), deploy.topics(),
                deploy.credentials())) {
            DeployCommand canaryCommand = request.shadow().map(command::withShadow).orElse(command);
            Rollout.Outcome outcome = new Rollout(deployer, command, canaryCommand).run(plan, deploy.waitFor(),
                    request.soak(), listener);
            boolean fleetRetained = false;
            if (outcome.complete() && request.canary().isPresent()) {
                deployer.publish(DeployTarget.fleet(), command);
                fleetRetained = true;
            }
            if (outcome.failed().isPresent()) {
                String device = outcome.failed().get().split(" ", 2)[0];
                deployer.clear(DeployTarget.device(device));
            }
            return new Result(command, plan, outcome, fleetRetained);
        } catch (MqttException e) {
            throw new BrokerException(deploy.broker(), "broker " + deploy.broker() + ": "
                    + BrokerException.describe(e), e);
        }
    }
}
