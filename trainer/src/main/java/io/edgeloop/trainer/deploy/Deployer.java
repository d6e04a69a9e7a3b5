package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.ReceivedMessage;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.broker.SubscriberCallback;
import io.edgeloop.trainer.collect.MqttCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a deploy command as a retained QoS 1 message (desired state: a device that connects later still gets
 * it) and follows the devices' deploy status. Subscribes to the status topics before publishing, so no status is
 * missed. One MQTT connection (clean start), closed by {@link #close}.
 */
public final class Deployer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    private static final long TIMEOUT_MILLIS = 10_000;

    private final MqttClient client;
    private final Topics topics;
    private final LinkedBlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();

    private Deployer(MqttClient client, Topics topics) {
        this.client = client;
        this.topics = topics;
    }

    /**
     * Connects to the broker.
     *
     * @throws MqttException if the broker cannot be reached (the caller reports it)
     */
    public static Deployer connect(String brokerUri, String clientId, Topics topics) throws MqttException {
        return connect(brokerUri, clientId, topics, MqttCredentials.NONE);
    }

    /** Connects with a user name and password. */
    public static Deployer connect(String brokerUri, String clientId, Topics topics, MqttCredentials credentials)
            throws MqttException {
        Objects.requireNonNull(topics, "topics");
        MqttClient client = new MqttClient(brokerUri, clientId, new MemoryPersistence());
        // Every blocking call (the QoS 1 publish, subscribe, disconnect) gives up instead of waiting forever for a
        // broker that stopped answering: a deploy reports the failure rather than hanging the operator's shell.
        client.setTimeToWait(TIMEOUT_MILLIS);
        client.setManualAcks(true); // see Callback.messageArrived
        Deployer deployer = new Deployer(client, topics);
        client.setCallback(deployer.new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        credentials.applyTo(options);
        try {
            client.connect(options);
        } catch (MqttException e) {
            try {
                client.close();
            } catch (MqttException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return deployer;
    }

    /**
     * Publishes {@code command} for {@code target} and, if {@code wait} is positive, follows the status messages
     * until every expected device reached a final state or {@code wait} has passed.
     *
     * @param onStatus called with each new status of this deploy, in arrival order
     * @return the deploy's progress at the end
     */
    public DeployProgress deploy(DeployTarget target, DeployCommand command, Duration wait,
                                 Consumer<DeployStatus> onStatus) throws MqttException, InterruptedException {
        DeployProgress progress = new DeployProgress(target, command);
        boolean follow = wait.compareTo(Duration.ZERO) > 0;
        if (follow) {
            List<String> filters = new ArrayList<>();
            if (target.isFleet()) {
                filters.add(topics.filter(TopicKind.DEPLOY_STATUS));
                filters.add(topics.filter(TopicKind.STATUS));
            } else {
                filters.add(topics.deployStatus(target.device()));
            }
            MqttSubscription[] subscriptions = filters.stream().map(f -> new MqttSubscription(f, 1))
                    .toArray(MqttSubscription[]::new);
            IMqttToken token = client.subscribe(subscriptions);
            token.waitForCompletion(TIMEOUT_MILLIS);
        }
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        properties.setPayloadFormat(true);
        MqttMessage message = new MqttMessage(Payloads.encode(command), 1, true, properties);
        client.publish(target.commandTopic(topics), message);
        if (!follow) {
            return progress;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (!progress.done()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            ReceivedMessage m = received.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                break;
            }
            if (m.payload() instanceof DeployStatus s) {
                progress.offer(s).ifPresent(onStatus);
            } else if (m.payload() instanceof DeviceStatus s) {
                progress.offer(s);
            }
        }
        return progress;
    }

    /**
     * For a rollout ({@link Rollout}): subscribes to every device's deploy status and status, so that the replies
     * to commands published afterwards with {@link #publish} are not missed; read them with {@link #next}.
     */
    public void watchFleet() throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {
            new MqttSubscription(topics.filter(TopicKind.DEPLOY_STATUS), 1),
            new MqttSubscription(topics.filter(TopicKind.STATUS), 1)});
        token.waitForCompletion(TIMEOUT_MILLIS);
    }

    /** Publishes {@code command} for {@code target}, retained, QoS 1, without following it. */
    public void publish(DeployTarget target, DeployCommand command) throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        properties.setPayloadFormat(true);
        client.publish(target.commandTopic(topics), new MqttMessage(Payloads.encode(command), 1, true, properties));
    }

    /** The next status message received since {@link #watchFleet}, waiting up to {@code wait}; empty if none. */
    public java.util.Optional<ReceivedMessage> next(Duration wait) throws InterruptedException {
        return java.util.Optional.ofNullable(received.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS));
    }

    /**
     * Clears the retained command of {@code target} (a zero-byte retained publish), so devices that connect later
     * no longer receive it.
     */
    public void clear(DeployTarget target) throws MqttException {
        client.publish(target.commandTopic(topics), new MqttMessage(new byte[0], 1, true, null));
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_MILLIS / 2);
            }
        } catch (MqttException e) {
            LOG.debug("deploy: disconnect: {}", e.toString());
        } finally {
            try {
                client.close();
            } catch (MqttException e) {
                LOG.debug("deploy: close: {}", e.toString());
            }
        }
    }

    private final class Callback extends SubscriberCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) throws MqttException {
            // Acknowledged before the status is handed on: Paho's automatic PUBACK goes out only after this method
            // returns, which can be after deploy() saw the final status and close() sent DISCONNECT. A PUBACK after
            // DISCONNECT makes the embedded broker (Moquette 0.18) release the message twice and lose a session
            // thread: 2 of 260 deploys on a busy 2-core machine did that, none of 320 with this order.
            client.messageArrivedComplete(message.getId(), message.getQos());
            if (message.getPayload().length == 0) {
                return; // a cleared retained topic
            }
            try {
                received.add(Payloads.decode(topics, topic, message.getPayload()));
            } catch (MessageRejectedException e) {
                LOG.warn("deploy: ignored a malformed status: {}", e.getMessage());
            }
        }

        @Override
        protected void trouble(String what, boolean lost) {
            LOG.warn("deploy: {}", what);
        }
    }
}
