package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.ReceivedMessage;
import io.edgeloop.protocol.mqtt.TopicKind;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to one received hard-example message and does it: validate (topic, payload, image), skip
 * exact and near duplicates, apply the hourly limit, store in the inbox. Never throws: every outcome is counted and
 * returned, because an exception in Paho's callback would be swallowed and the message acknowledged anyway.
 */
public final class HardExampleIntake {

    /** What became of a message. Only {@link #FAILED} must not be acknowledged. */
    public enum Outcome {
        STORED, DUPLICATE, NEAR_DUPLICATE, REJECTED, THROTTLED, FAILED
    }

    private static final Logger LOG = LoggerFactory.getLogger(HardExampleIntake.class);

    private final Inbox inbox;
    private final Topics topics;
    private final int nearDuplicateBits;
    private final HourlyLimit limit;
    private final Clock clock;
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
    private final CollectorStats stats = new CollectorStats();

    /**
     * @param nearDuplicateBits largest difference-hash distance counted as a near duplicate; -1 turns near-duplicate
     *                          detection off (exact duplicates are always skipped)
     * @param maxPerHour        examples stored per device per sliding hour; 0 for no limit
     */
    public HardExampleIntake(Inbox inbox, Topics topics, int nearDuplicateBits, int maxPerHour, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.topics = Objects.requireNonNull(topics, "topics");
        if (nearDuplicateBits < -1 || nearDuplicateBits > 32) {
            throw new IllegalArgumentException("near-duplicate distance is " + nearDuplicateBits
                    + " bits, allowed -1 (off) to 32");
        }
        this.nearDuplicateBits = nearDuplicateBits;
        this.limit = new HourlyLimit(maxPerHour);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The counters. */
    public CollectorStats stats() {
        return stats;
    }

    /** Handles one message; called from one thread at a time. */
    public synchronized Outcome accept(String topic, byte[] payload) {
        try {
            return handle(topic, payload);
        } catch (RuntimeException e) {
            // A bug must not lose the message silently: count it as failed so it is not acknowledged.
            stats.failed.incrementAndGet();
            LOG.error("hard example on {} could not be handled", topic, e);
            return Outcome.FAILED;
        } finally {
            // Counted last, so a reader seeing N received also sees the outcomes of all N.
            stats.received.incrementAndGet();
        }
    }

    private Outcome handle(String topic, byte[] payload) {
        HardExample example;
        BufferedImage image;
        try {
            ReceivedMessage message = Payloads.decode(topics, topic, payload);
            if (message.address().kind() != TopicKind.HARD) {
                throw new MessageRejectedException(topic, "not a hard-example topic (kind "
                        + message.address().kind() + "), allowed " + topics.filter(TopicKind.HARD), null);
            }
            example = message.payloadAs(HardExample.class);
        } catch (MessageRejectedException e) {
            return reject(e.getMessage());
        }
        byte[] jpeg = Base64.getDecoder().decode(example.image());
        try {
            image = decoder.decode(jpeg, topic + " image");
        } catch (ImageRejectedException e) {
            return reject(topic + ": HardExample: image " + e.getMessage());
        }
        Optional<String> same = inbox.exactDuplicate(example.imageSha256());
        if (same.isPresent()) {
            stats.duplicates.incrementAndGet();
            LOG.debug("{}: duplicate of {}, skipped", topic, same.get());
            return Outcome.DUPLICATE;
        }
        long dhash = DifferenceHash.of(image);
        if (nearDuplicateBits >= 0) {
            Optional<Inbox.Match> near = inbox.nearDuplicate(dhash, nearDuplicateBits);
            if (near.isPresent()) {
                stats.nearDuplicates.incrementAndGet();
                LOG.debug("{}: near duplicate of {} ({} bits apart), skipped", topic, near.get().id(),
                        near.get().distance());
                return Outcome.NEAR_DUPLICATE;
            }
        }
        if (!limit.tryAcquire(example.device(), clock.millis())) {
            stats.throttled.incrementAndGet();
            return Outcome.THROTTLED;
        }
        try {
            InboxEntry entry = inbox.store(example, jpeg, dhash, topic, clock.instant());
            stats.stored.incrementAndGet();
            LOG.info("stored {} ({}, top {} {})", entry.sidecar().id(), example.reason(),
                    example.top().get(0).label(), example.top().get(0).score());
            return Outcome.STORED;
        } catch (IOException e) {
            stats.failed.incrementAndGet();
            LOG.error("{}: cannot store the hard example in {}: {}", topic, inbox.dir(), e.toString());
            return Outcome.FAILED;
        }
    }

    private Outcome reject(String message) {
        stats.rejected.incrementAndGet();
        LOG.warn("rejected: {}", message);
        return Outcome.REJECTED;
    }
}
