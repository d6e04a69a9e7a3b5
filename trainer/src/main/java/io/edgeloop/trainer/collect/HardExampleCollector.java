package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.retry.Backoff;
import io.edgeloop.trainer.broker.SubscriberCallback;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives hard examples over MQTT 5 and hands them to a {@link HardExampleIntake}.
 *
 * <p>Delivery guarantees, given Paho's behaviour (see DESIGN.md): the session is persistent (clean start false,
 * session expiry), so examples published while the collector is away are delivered when it returns; messages are
 * acknowledged manually and only after the intake has stored them (or deliberately skipped them), so acknowledged
 * means on disk; a message that could not be stored is left unacknowledged and the connection is dropped, so the
 * broker delivers it again after the reconnect. Shared-subscription messages arrive through the client callback
 * (per-subscription listeners never fire for {@code $share} filters). Connecting — the first time too — is retried
 * with exponential backoff and jitter by this class, on its own thread.
 */
public final class HardExampleCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HardExampleCollector.class);
    private static final long TIMEOUT_MILLIS = 10_000;

    private final CollectorSettings settings;
    private final HardExampleIntake intake;
    private final MqttAsyncClient client;
    private final Thread supervisor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<CountDownLatch> connectionLost = new AtomicReference<>(new CountDownLatch(1));
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    private volatile long connections;

    private HardExampleCollector(CollectorSettings settings, HardExampleIntake intake) throws MqttException {
        this.settings = settings;
        this.intake = intake;
        this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        this.client.setManualAcks(true);
        this.client.setCallback(new Callback());
        this.supervisor = new Thread(this::superviseConnection, "collector-" + settings.clientId());
        this.supervisor.setDaemon(true);
    }

    /** Starts collecting on a background thread; returns at once (see {@link #awaitSubscribed}). */
    public static HardExampleCollector start(CollectorSettings settings, HardExampleIntake intake) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(intake, "intake");
        try {
            HardExampleCollector collector = new HardExampleCollector(settings, intake);
            collector.supervisor.start();
            return collector;
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + settings.brokerUri() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Waits until the first subscription is in place; {@code false} on timeout. */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return firstSubscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The counters. */
    public CollectorStats.Summary summary() {
        return intake.stats().summary();
    }

    /** How many times a connection was established and subscribed (1 + reconnects). */
    public long connections() {
        return connections;
    }

    private void superviseConnection() {
        Backoff backoff = new Backoff(settings.reconnectMin().toMillis(), settings.reconnectMax().toMillis(),
                new Random());
        while (!closed.get()) {
            CountDownLatch lost = new CountDownLatch(1);
            connectionLost.set(lost);
            try {
                connectAndSubscribe();
                backoff.reset();
                lost.await();
            } catch (MqttException e) {
                if (!closed.get()) {
                    LOG.warn("collector {}: cannot connect to {} ({}); retrying", settings.clientId(),
                            settings.brokerUri(), e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            }
            if (closed.get()) {
                return;
            }
            forceDisconnect();
            try {
                Thread.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connectAndSubscribe() throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        settings.credentials().applyTo(options);
        IMqttToken connect = client.connect(options);
        connect.waitForCompletion(TIMEOUT_MILLIS);
        boolean resumed = connect.getSessionPresent();
        // Subscribing again is harmless when the session was resumed and required when the broker lost it.
        IMqttToken subscribe = client.subscribe(new MqttSubscription[] {new MqttSubscription(settings.filter(), 1)});
        subscribe.waitForCompletion(TIMEOUT_MILLIS);
        int[] codes = subscribe.getReasonCodes();
        if (codes == null || codes.length == 0 || codes[0] > 2) {
            throw new MqttException(codes == null || codes.length == 0 ? MqttException.REASON_CODE_CLIENT_EXCEPTION
                    : codes[0]);
        }
        connections++;
        LOG.info("collector {}: connected to {} (session {}), subscribed to {}", settings.clientId(),
                settings.brokerUri(), resumed ? "resumed" : "new", settings.filter());
        firstSubscribed.countDown();
    }

    private void forceDisconnect() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            LOG.debug("collector {}: forced disconnect: {}", settings.clientId(), e.toString());
        }
    }

    /**
     * Stops: disconnects normally (the broker keeps the session for {@code sessionExpiry}, so nothing published
     * meanwhile is lost) and releases the client's threads. Waits at most about 10 s.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connectionLost.get().countDown();
        supervisor.interrupt();
        try {
            supervisor.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_MILLIS / 2).waitForCompletion(TIMEOUT_MILLIS);
            }
        } catch (MqttException e) {
            LOG.debug("collector {}: disconnect: {}", settings.clientId(), e.toString());
            forceDisconnect();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("collector {}: close: {}", settings.clientId(), e.toString());
        }
    }

    private final class Callback extends SubscriberCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            HardExampleIntake.Outcome outcome = intake.accept(topic, message.getPayload());
            if (outcome == HardExampleIntake.Outcome.FAILED) {
                // Not acknowledged: drop the connection so the broker delivers it again after reconnecting.
                LOG.warn("collector {}: message on {} not stored; reconnecting for redelivery", settings.clientId(),
                        topic);
                connectionLost.get().countDown();
                return;
            }
            try {
                client.messageArrivedComplete(message.getId(), message.getQos());
            } catch (MqttException e) {
                LOG.warn("collector {}: cannot acknowledge message {} on {}: {}", settings.clientId(),
                        message.getId(), topic, e.toString());
            }
        }

        @Override
        protected void trouble(String what, boolean lost) {
            if (!closed.get()) {
                LOG.warn("collector {}: {} ({})", settings.clientId(), what, settings.brokerUri());
            }
            if (lost) {
                connectionLost.get().countDown();
            }
        }
    }
}
