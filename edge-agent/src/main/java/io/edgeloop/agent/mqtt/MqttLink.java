package io.edgeloop.agent.mqtt;

import io.edgeloop.protocol.retry.Backoff;
import io.edgeloop.agent.spool.Spool;
import io.edgeloop.agent.spool.SpooledMessage;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the broker, run by one thread: connects (retrying with backoff and jitter, including the
 * first connect), publishes the retained birth status after every connect (with a retained "offline" last will),
 * then delivers the {@link Spool} in order, one message at a time, committing each only after the broker
 * acknowledged it. A lost connection rewinds the spool to the last acknowledged message.
 *
 * <p>Each connection attempt uses a fresh Paho client with in-memory persistence and automatic reconnect off: Paho
 * never resends in-flight messages on its own (its resend can use topic aliases the new connection does not know),
 * and nothing is written to the working directory. The spool is the only buffer.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    /** Paho's code for "too many publishes in flight" (the broker's Receive Maximum). */
    private static final int MAX_INFLIGHT = 32202;

    private final LinkSettings settings;
    private final Spool spool;
    private final Supplier<byte[]> birth;
    private final Supplier<byte[]> offline;
    private final Supplier<List<SpooledMessage>> onConnect;
    private final List<String> subscriptions;
    private final java.util.function.BiConsumer<String, byte[]> inbound;
    private final Backoff backoff;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile MqttAsyncClient client;
    private volatile boolean connected;
    private volatile boolean stopping;
    private volatile long flushDeadline;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();

    /**
     * @param birth     retained status published after every connect (called each time: it may change)
     * @param offline   retained offline status, made afresh each time it is needed: registered as the last will at
     *                  every connect (the broker publishes it if the agent vanishes, so its time is the
     *                  registration's) and published on a clean stop (its time is the stop's)
     * @param onConnect retained messages republished after every connect (e.g. Home Assistant discovery)
     * @param random    jitter source
     */
    public MqttLink(LinkSettings settings, Spool spool, Supplier<byte[]> birth, Supplier<byte[]> offline,
            Supplier<List<SpooledMessage>> onConnect, Random random) {
        this(settings, spool, birth, offline, onConnect, List.of(), (topic, payload) -> { }, random);
    }

    /**
     * A link that also subscribes (QoS 1, after every connect) to {@code subscriptions} and hands what arrives to
     * {@code inbound}, on Paho's thread: the handler must be quick and must not throw (Paho would swallow the
     * exception and still acknowledge the message), so hand the message to a queue.
     */
    public MqttLink(LinkSettings settings, Spool spool, Supplier<byte[]> birth, Supplier<byte[]> offline,
            Supplier<List<SpooledMessage>> onConnect, List<String> subscriptions,
            java.util.function.BiConsumer<String, byte[]> inbound, Random random) {
        this.subscriptions = List.copyOf(subscriptions);
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.birth = Objects.requireNonNull(birth, "birth");
        this.offline = Objects.requireNonNull(offline, "offline");
        this.onConnect = Objects.requireNonNull(onConnect, "onConnect");
        this.backoff = new Backoff(settings.reconnectInitialMillis(), settings.reconnectMaxMillis(), random);
        this.thread = new Thread(this::loop, "mqtt-link");
    }

    /** Starts connecting and delivering in the background. */
    public void start() {
        thread.start();
    }

    /** Whether the link is currently connected. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Publishes a message directly, not through the spool (for periodic metrics, which are stale once late).
     *
     * @return true if the broker accepted it within the timeout; false when disconnected or on failure
     */
    public boolean publishDirect(String topic, byte[] payload, int qos, boolean retained) {
        MqttAsyncClient c = client;
        if (!connected || c == null) {
            return false;
        }
        try {
            IMqttToken token = c.publish(topic, message(payload, qos, retained));
            token.waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            return true;
        } catch (MqttException e) {
            LOG.debug("direct publish to {} failed: {}", topic, e.toString());
            return false;
        }
    }

    private void loop() {
        while (!stopping) {
            MqttAsyncClient c = connect();
            if (c == null) {
                continue;
            }
            try {
                deliver(c);
            } finally {
                connected = false;
                spool.rewind();
                if (stopping) {
                    goOffline(c);
                }
                release(c);
            }
        }
    }

    private MqttAsyncClient connect() {
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(settings.broker(), settings.clientId(), new MemoryPersistence());
            MqttAsyncClient self = c;
            c.setManualAcks(true); // see messageArrived
            c.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    LOG.warn("lost connection to {}: {}", settings.broker(), response.getReasonString() != null
                            ? response.getReasonString() : String.valueOf(response.getException()));
                    if (client == self) {
                        connected = false;
                    }
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    LOG.warn("MQTT error from {}: {}", settings.broker(), exception.toString());
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws MqttException {
                    // Acknowledged before it is handed on, as the trainer's clients do: Paho's automatic PUBACK
                    // follows the return of this method and can land after a DISCONNECT the link sends meanwhile,
                    // which Moquette (the demo's broker) answers by releasing the message twice.
                    self.messageArrivedComplete(message.getId(), message.getQos());
                    try {
                        inbound.accept(topic, message.getPayload());
                    } catch (RuntimeException e) {
                        LOG.error("message on {} could not be handled: {}", topic, e.toString());
                    }
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                    // completion is awaited on the token itself
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    // the link publishes the birth itself after connect() returns
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                    // no enhanced authentication
                }
            });
            c.connect(options()).waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            client = c;
            connected = true;
            connects.incrementAndGet();
            backoff.reset();
            LOG.info("connected to {} as {}", settings.broker(), settings.clientId());
            c.publish(settings.statusTopic(), message(birth.get(), 1, true))
                    .waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            for (SpooledMessage m : onConnect.get()) {
                c.publish(m.topic(), message(m.payload(), m.qos(), m.retained()))
                        .waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            }
            if (!subscriptions.isEmpty()) {
                org.eclipse.paho.mqttv5.common.MqttSubscription[] subs =
                        new org.eclipse.paho.mqttv5.common.MqttSubscription[subscriptions.size()];
                for (int i = 0; i < subs.length; i++) {
                    subs[i] = new org.eclipse.paho.mqttv5.common.MqttSubscription(subscriptions.get(i), 1);
                }
                // the array overload: per-subscription listeners are unreliable in Paho 1.2.5
                c.subscribe(subs).waitForCompletion(TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds()));
            }
            return c;
        } catch (MqttException | RuntimeException e) {
            connected = false;
            connectFailures.incrementAndGet();
            if (c != null) {
                release(c);
            }
            long delay = backoff.nextDelayMillis();
            LOG.warn("cannot connect to {} ({}); retry {} in {} ms", settings.broker(), describe(e),
                    backoff.attempt(), delay);
            sleep(delay);
            return null;
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setServerURIs(new String[] {settings.broker()});
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpirySeconds());
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout(settings.connectTimeoutSeconds());
        o.setAutomaticReconnect(false);
        o.setTopicAliasMaximum(0);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(new String(settings.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (settings.socketFactory() != null) {
            o.setSocketFactory(settings.socketFactory());
            o.setHttpsHostnameVerificationEnabled(settings.verifyHostname());
        }
        o.setWill(settings.statusTopic(), message(offline.get(), 1, true));
        return o;
    }

    /** Delivers spooled messages in order until the connection drops or the link stops and the spool is flushed. */
    private void deliver(MqttAsyncClient c) {
        long ackTimeout = TimeUnit.SECONDS.toMillis(settings.connectTimeoutSeconds());
        try {
            while (connected) {
                if (stopping && (spool.pending() == 0 || System.nanoTime() > flushDeadline)) {
                    return;
                }
                Spool.Entry e = spool.next(100, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                if (!send(c, e, ackTimeout)) {
                    return;
                }
                spool.commit(e);
            }
        } catch (IOException e) {
            LOG.error("spool read failed: {}", e.toString());
            sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Publishes one spooled message and waits for its acknowledgement; false when the connection is unusable. */
    private boolean send(MqttAsyncClient c, Spool.Entry e, long ackTimeout) throws InterruptedException {
        SpooledMessage m = e.message();
        while (connected) {
            try {
                IMqttToken token = c.publish(m.topic(), message(m.payload(), m.qos(), m.retained()));
                token.waitForCompletion(ackTimeout);
                int[] codes = token.getReasonCodes();
                int code = codes == null || codes.length == 0 ? 0 : codes[0];
                if (code == MqttReturnCode.RETURN_CODE_QUOTA_EXCEEDED) {
                    Thread.sleep(100);
                    continue;
                }
                if (code >= 0x80) {
                    // a permanent refusal (not authorised, bad topic, payload format): retrying cannot help
                    rejected.incrementAndGet();
                    LOG.warn("broker refused message to {} with reason code 0x{}; dropped", m.topic(),
                            Integer.toHexString(code));
                } else {
                    delivered.incrementAndGet();
                }
                return true;
            } catch (MqttException ex) {
                if (ex.getReasonCode() == MAX_INFLIGHT) {
                    Thread.sleep(5);
                    continue;
                }
                publishFailures.incrementAndGet();
                LOG.warn("publish to {} failed ({}); will resend after reconnect", m.topic(), describe(ex));
                connected = false;
                return false;
            }
        }
        return false;
    }

    private void goOffline(MqttAsyncClient c) {
        if (!c.isConnected()) {
            return;
        }
        try {
            c.publish(settings.statusTopic(), message(offline.get(), 1, true))
                    .waitForCompletion(TimeUnit.SECONDS.toMillis(Math.min(2, settings.connectTimeoutSeconds())));
        } catch (MqttException e) {
            LOG.warn("could not publish offline status: {}", describe(e));
        }
    }

    private void release(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect: {}", e.toString());
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, false);
            }
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("close: {}", e.toString());
        }
        if (client == c) {
            client = null;
        }
    }

    /** Every agent payload is UTF-8 JSON: say so in the MQTT 5 properties, as the contract asks. */
    private static MqttMessage message(byte[] payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        properties.setPayloadFormat(true);
        m.setProperties(properties);
        return m;
    }

    private static String describe(Exception e) {
        if (e instanceof MqttException m) {
            return m.getMessage() + " (code " + m.getReasonCode() + ")";
        }
        return e.toString();
    }

    private void sleep(long millis) {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + millis;
            long left = millis;
            while (!stopping && left > 0) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                    return;
                }
                left = deadline - System.currentTimeMillis();
            }
        }
    }

    /** Counters for metrics. */
    public record Stats(long connects, long connectFailures, long delivered, long rejected, long publishFailures,
            boolean connected) {
    }

    public Stats stats() {
        return new Stats(connects.get(), connectFailures.get(), delivered.get(), rejected.get(),
                publishFailures.get(), connected);
    }

    /**
     * Stops the link: while connected, delivers what is left in the spool (up to the timeout), publishes the
     * retained offline status and disconnects cleanly. Whatever is not delivered stays in the spool.
     */
    public void close(long timeoutMillis) throws InterruptedException {
        flushDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis - 2500));
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.join(Math.max(1, timeoutMillis));
        if (thread.isAlive()) {
            LOG.warn("MQTT link did not stop within {} ms", timeoutMillis);
            thread.interrupt();
            thread.join(1000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(5000);
    }
}
