package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.retry.Backoff;
import io.edgeloop.trainer.broker.BrokerException;
import io.edgeloop.trainer.broker.SubscriberCallback;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
 * Receives hard examples over MQTT 5 and hands them to a {@link HardExampleIntake}; optionally also the devices'
 * metrics messages, handed to a {@link MetricsSink} (drift telemetry).
 *
 * <p>Delivery guarantees, given Paho's behaviour (see DESIGN.md): the session is persistent (clean start false,
 * session expiry), so examples published while the collector is away are delivered when it returns; messages are
 * acknowledged manually and only after the intake has stored them (or deliberately skipped them), so acknowledged
 * means on disk; a message that could not be stored is left unacknowledged and the connection is dropped, so the
 * broker delivers it again after the reconnect. Shared-subscription messages arrive through the client callback
 * (per-subscription listeners never fire for {@code $share} filters). Connecting is retried with exponential backoff
 * and jitter by this class, on its own thread: after a lost connection always, and for the first connection either
 * without end ({@link #start}) or a bounded number of times ({@link #connect}), so a broker that is wrong or down
 * from the start is reported instead of waited for.
 */
public final class HardExampleCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HardExampleCollector.class);
    private static final long TIMEOUT_MILLIS = 10_000;

    private final CollectorSettings settings;
    private final HardExampleIntake intake;
    private final Optional<MetricsSink> metrics;
    private final MqttAsyncClient client;
    private final Thread supervisor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<CountDownLatch> connectionLost = new AtomicReference<>(new CountDownLatch(1));
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    /** Counted down when the first subscription is in place or the first-connect attempts are used up. */
    private final CountDownLatch firstOutcome = new CountDownLatch(1);
    private final int firstConnectAttempts;
    private volatile BrokerException gaveUp;
    private volatile long connections;

    private HardExampleCollector(CollectorSettings settings, HardExampleIntake intake, Optional<MetricsSink> metrics,
                                 int firstConnectAttempts) throws MqttException {
        this.settings = settings;
        this.intake = intake;
        this.metrics = metrics;
        this.firstConnectAttempts = firstConnectAttempts;
        this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        this.client.setManualAcks(true);
        this.client.setCallback(new Callback());
        this.supervisor = new Thread(this::superviseConnection, "collector-" + settings.clientId());
        this.supervisor.setDaemon(true);
    }

    /**
     * Starts collecting on a background thread and returns at once (see {@link #awaitSubscribed}); the first
     * connection is retried until it succeeds or the collector is closed.
     */
    public static HardExampleCollector start(CollectorSettings settings, HardExampleIntake intake) {
        return started(settings, intake, Optional.empty(), 0);
    }

    /**
     * Connects and subscribes, trying up to {@code attempts} times with the settings' backoff, and returns once
     * subscribed; from then on a lost connection is retried for as long as the collector runs, like {@link #start}.
     *
     * @throws BrokerException if every attempt failed (refused, unreachable, not authorised, subscription refused);
     *                         the message names the broker, the client id, the attempts and the last failure
     */
    public static HardExampleCollector connect(CollectorSettings settings, HardExampleIntake intake, int attempts)
            throws BrokerException, InterruptedException {
        return connect(settings, intake, Optional.empty(), attempts);
    }

    /**
     * Like {@link #connect(CollectorSettings, HardExampleIntake, int)}, and when {@code metrics} is given also
     * subscribes to the devices' metrics ({@link CollectorSettings#metricsFilter()}) and hands them to it.
     */
    public static HardExampleCollector connect(CollectorSettings settings, HardExampleIntake intake,
                                               Optional<MetricsSink> metrics, int attempts)
            throws BrokerException, InterruptedException {
        if (attempts < 1) {
            throw new IllegalArgumentException("connect attempts is " + attempts + ", allowed 1 or more");
        }
        HardExampleCollector collector = started(settings, intake, metrics, attempts);
        try {
            collector.firstOutcome.await();
        } catch (InterruptedException e) {
            collector.close();
            throw e;
        }
        if (collector.gaveUp != null) {
            collector.close();
            throw collector.gaveUp;
        }
        if (collector.firstSubscribed.getCount() > 0) {
            collector.close();
            throw new BrokerException(settings.brokerUri(), "collector " + settings.clientId() + " stopped before it"
                    + " connected to broker " + settings.brokerUri() + " (see the log)", null);
        }
        return collector;
    }

    private static HardExampleCollector started(CollectorSettings settings, HardExampleIntake intake,
                                                Optional<MetricsSink> metrics, int attempts) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(intake, "intake");
        Objects.requireNonNull(metrics, "metrics");
        try {
            HardExampleCollector collector = new HardExampleCollector(settings, intake, metrics, attempts);
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
        try {
            supervise();
        } finally {
            firstOutcome.countDown(); // connect() must not wait for a supervisor that ended (closed, or a bug)
        }
    }

    private void supervise() {
        Backoff backoff = new Backoff(settings.reconnectMin().toMillis(), settings.reconnectMax().toMillis(),
                new Random());
        int failedFirstAttempts = 0;
        while (!closed.get()) {
            CountDownLatch lost = new CountDownLatch(1);
            connectionLost.set(lost);
            try {
                connectAndSubscribe();
                backoff.reset();
                lost.await();
            } catch (MqttException e) {
                boolean first = firstSubscribed.getCount() > 0;
                if (first && ++failedFirstAttempts == firstConnectAttempts) {
                    gaveUp = new BrokerException(settings.brokerUri(), "cannot connect to broker "
                            + settings.brokerUri() + " as client id " + settings.clientId() + ": "
                            + (firstConnectAttempts == 1 ? "1 attempt" : firstConnectAttempts + " attempts")
                            + " failed, the last with: " + BrokerException.describe(e), e);
                    forceDisconnect();
                    return;
                }
                if (!closed.get()) {
                    LOG.warn("collector {}: cannot connect to {} ({}); retrying", settings.clientId(),
                            settings.brokerUri(), BrokerException.describe(e));
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
        MqttSubscription[] filters = metrics.isEmpty()
                ? new MqttSubscription[] {new MqttSubscription(settings.filter(), 1)}
                : new MqttSubscription[] {new MqttSubscription(settings.filter(), 1),
                        new MqttSubscription(settings.metricsFilter(), TopicKind.METRICS.qos())};
        IMqttToken subscribe = client.subscribe(filters);
        subscribe.waitForCompletion(TIMEOUT_MILLIS);
        int[] codes = subscribe.getReasonCodes();
        if (codes == null || codes.length < filters.length) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION);
        }
        for (int code : codes) {
            if (code > 2) {
                throw new MqttException(code);
            }
        }
        connections++;
        LOG.info("collector {}: connected to {} (session {}), subscribed to {}{}", settings.clientId(),
                settings.brokerUri(), resumed ? "resumed" : "new", settings.filter(),
                metrics.isEmpty() ? "" : " and " + settings.metricsFilter());
        firstSubscribed.countDown();
        firstOutcome.countDown();
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
            if (metrics.isPresent() && isMetrics(topic)) {
                metrics.get().accept(topic, message.getPayload());
                acknowledge(topic, message);
                return;
            }
            HardExampleIntake.Outcome outcome = intake.accept(topic, message.getPayload());
            if (outcome == HardExampleIntake.Outcome.FAILED) {
                // Not acknowledged: drop the connection so the broker delivers it again after reconnecting.
                LOG.warn("collector {}: message on {} not stored; reconnecting for redelivery", settings.clientId(),
                        topic);
                connectionLost.get().countDown();
                return;
            }
            acknowledge(topic, message);
        }

        private boolean isMetrics(String topic) {
            try {
                return settings.topics().parse(topic).kind() == TopicKind.METRICS;
            } catch (MessageRejectedException e) {
                return false; // not one of ours: the intake rejects and counts it
            }
        }

        private void acknowledge(String topic, MqttMessage message) {
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
