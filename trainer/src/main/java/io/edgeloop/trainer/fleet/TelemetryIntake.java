package io.edgeloop.trainer.fleet;

import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.ReceivedMessage;
import io.edgeloop.protocol.mqtt.Topics;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates received metrics messages and records their predictions in a {@link TelemetryLog}, counting what
 * happened. Never throws: a bad message is counted as rejected, a write failure as failed (metrics are QoS 0
 * samples; losing one is harmless, stopping the collector is not).
 */
public final class TelemetryIntake {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIntake.class);

    private final TelemetryLog log;
    private final Topics topics;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong withoutPredictions = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public TelemetryIntake(TelemetryLog log, Topics topics) {
        this.log = Objects.requireNonNull(log, "log");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    /** One metrics message as received on {@code topic}. */
    public void accept(String topic, byte[] payload) {
        received.incrementAndGet();
        DeviceMetrics metrics;
        try {
            ReceivedMessage m = Payloads.decode(topics, topic, payload);
            if (!(m.payload() instanceof DeviceMetrics dm)) {
                throw new MessageRejectedException(topic, "not a metrics message", null);
            }
            metrics = dm;
        } catch (MessageRejectedException e) {
            rejected.incrementAndGet();
            LOG.warn("telemetry: rejected message on {}: {}", topic, e.reason());
            return;
        }
        try {
            int written = log.append(metrics);
            lines.addAndGet(written);
            if (written < metrics.cameras().size()) {
                withoutPredictions.addAndGet(metrics.cameras().size() - written);
            }
        } catch (IOException e) {
            failed.incrementAndGet();
            LOG.warn("telemetry: {}", e.getMessage());
        }
    }

    /** The counters so far. */
    public Summary summary() {
        return new Summary(received.get(), lines.get(), withoutPredictions.get(), rejected.get(), failed.get());
    }

    /**
     * Counters of an intake.
     *
     * @param received           metrics messages received
     * @param lines              telemetry lines written (one per camera with predictions)
     * @param withoutPredictions cameras whose figures carried no predictions (older agents, no frame yet)
     * @param rejected           messages that failed validation
     * @param failed             messages that could not be written
     */
    public record Summary(long received, long lines, long withoutPredictions, long rejected, long failed) {
        @Override
        public String toString() {
            return received + " metrics messages, " + lines + " telemetry lines, " + withoutPredictions
                    + " cameras without predictions, " + rejected + " rejected, " + failed + " failed";
        }
    }
}
