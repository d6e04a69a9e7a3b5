package io.edgeloop.agent.hard;

import io.edgeloop.agent.config.HardExampleSelectors;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Decides whether a classified frame is published as a hard example, in two steps. {@link #fired} asks every
 * configured {@link Selector} (cheap: no hashing, no allocation); any that fires makes the frame a candidate.
 * {@link #accept} then keeps the fired selectors that have room in their own budget, checks the budget all
 * selectors share and near-duplicates of recent hard examples, and names the reason: the first such selector in
 * {@link Selector} order. An accepted frame counts against the shared budget and the budget of its reason's
 * selector only.
 *
 * <p>Counters per selector ({@link #counts}): {@code fired} frames it fired on, {@code accepted} frames sent with
 * its reason, {@code suppressed} frames it fired on that were not sent at all (a budget or a near-duplicate); the
 * rest were sent with the reason of an earlier selector. One per camera; {@code fired} and {@code accept} are for
 * one thread (the camera's stage 2); the counters may be read from any thread.
 */
public final class HardExampleSelector {

    /** How many recent hashes are remembered for duplicate suppression. */
    static final int RECENT = 64;

    private static final Selector[] ORDER = Selector.values();

    private final HardExamplesConfig config;
    private final int configured;
    private final Budget shared;
    private final Budget[] own = new Budget[ORDER.length];
    private final Deque<Long> recentHashes = new ArrayDeque<>();
    // the selectors' settings, unpacked for the per-frame test
    private final double maxConfidence;
    private final double minMargin;
    private final double minEntropy;
    private final Set<String> classes;
    private final double classMaxConfidence;
    private final double auditRate;
    private final SplittableRandom auditDraw;
    private final AtomicLongArray fired = new AtomicLongArray(ORDER.length);
    private final AtomicLongArray accepted = new AtomicLongArray(ORDER.length);
    private final AtomicLongArray suppressed = new AtomicLongArray(ORDER.length);
    private final AtomicLong suppressedDuplicates = new AtomicLong();
    private final AtomicLong suppressedRate = new AtomicLong();

    /**
     * @param config   this camera's settings ({@code AgentConfig.hardExamples(camera)})
     * @param cameraId mixed into the audit seed, so cameras with one config draw different frames
     */
    public HardExampleSelector(HardExamplesConfig config, String cameraId) {
        this.config = config;
        this.shared = new Budget(new HardExampleSelectors.Limits(config.perMinute(), config.perHour(),
                config.perDay()));
        HardExampleSelectors s = config.selectors();
        int bits = 0;
        bits |= setUp(Selector.LOW_CONFIDENCE, s.lowConfidence());
        bits |= setUp(Selector.MARGIN, s.margin());
        bits |= setUp(Selector.ENTROPY, s.entropy());
        bits |= setUp(Selector.CLASS, s.classes());
        bits |= setUp(Selector.AUDIT, s.audit());
        bits |= setUp(Selector.DISAGREEMENT, s.disagreement());
        this.configured = config.enabled() ? bits : 0;
        this.maxConfidence = s.lowConfidence() != null ? s.lowConfidence().maxConfidence() : 0;
        this.minMargin = s.margin() != null ? s.margin().minMargin() : 0;
        this.minEntropy = s.entropy() != null ? s.entropy().minEntropy() : 1;
        this.classes = s.classes() != null ? Set.copyOf(s.classes().labels()) : Set.of();
        this.classMaxConfidence = s.classes() != null && s.classes().maxConfidence() != null
                ? s.classes().maxConfidence() : Double.POSITIVE_INFINITY;
        this.auditRate = s.audit() != null ? s.audit().rate() : 0;
        this.auditDraw = new SplittableRandom((s.audit() != null ? s.audit().seed() : 0) * 0x9E3779B97F4A7C15L
                ^ cameraId.hashCode());
    }

    private int setUp(Selector selector, HardExampleSelectors.Selector settings) {
        if (settings == null || !settings.enabled()) {
            return 0;
        }
        own[selector.ordinal()] = new Budget(settings.limits());
        return selector.bit();
    }

    /** The selectors that run on this camera (none when hard examples are off), in {@link Selector} order. */
    public List<Selector> selectors() {
        List<Selector> out = new ArrayList<>();
        for (Selector s : ORDER) {
            if ((configured & s.bit()) != 0) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@link #fired(Classification, boolean)} for a frame no shadow model saw. */
    public int fired(Classification c) {
        return fired(c, false);
    }

    /**
     * Which selectors fire for a frame, as a set of {@link Selector} bits (0: none; not a hard example). The audit
     * draw happens for every frame, whatever the scores, so the sample does not depend on them.
     *
     * @param shadowDisagreed whether a shadow model ran on this frame and disagreed with the active model (the
     *                        hook for shadow deploys; fires the disagreement selector)
     */
    public int fired(Classification c, boolean shadowDisagreed) {
        if (configured == 0) {
            return 0;
        }
        int bits = 0;
        if (has(Selector.AUDIT) && auditDraw.nextDouble() < auditRate) {
            bits |= Selector.AUDIT.bit();
        }
        if (has(Selector.DISAGREEMENT) && shadowDisagreed) {
            bits |= Selector.DISAGREEMENT.bit();
        }
        if (has(Selector.CLASS) && classes.contains(c.topLabel()) && c.score() < classMaxConfidence) {
            bits |= Selector.CLASS.bit();
        }
        // below its class's threshold (model card, classThresholds or minConfidence) counts as low confidence too
        if (has(Selector.LOW_CONFIDENCE) && (c.score() < maxConfidence || c.unknown())) {
            bits |= Selector.LOW_CONFIDENCE.bit();
        }
        if (has(Selector.MARGIN) && c.margin() < minMargin) {
            bits |= Selector.MARGIN.bit();
        }
        if (has(Selector.ENTROPY) && c.entropy() > minEntropy) {
            bits |= Selector.ENTROPY.bit();
        }
        for (Selector s : ORDER) {
            if ((bits & s.bit()) != 0) {
                fired.incrementAndGet(s.ordinal());
            }
        }
        return bits;
    }

    /**
     * The disagreement selector alone, for a frame a shadow model classified after the frame's own decision was
     * taken (the shadow runs behind the active path): its bit if that selector is configured (counted), else 0.
     */
    public int firedDisagreement() {
        if (!has(Selector.DISAGREEMENT)) {
            return 0;
        }
        fired.incrementAndGet(Selector.DISAGREEMENT.ordinal());
        return Selector.DISAGREEMENT.bit();
    }

    private boolean has(Selector s) {
        return (configured & s.bit()) != 0;
    }

    /**
     * Final decision for a frame some selectors fired on, counting it against the budgets when accepted. The budgets
     * are checked first, so a frame over budget is never hashed (an uncertain camera would otherwise hash every
     * frame).
     *
     * @param firedBits what {@link #fired} returned for the frame (not 0)
     * @param frameHash computes the frame's {@link DifferenceHash}; called at most once
     * @param nowMillis current time
     * @return the reason and every reason that fired, or null when the frame is not sent
     */
    public Choice accept(int firedBits, LongSupplier frameHash, long nowMillis) {
        Selector reason = null;
        for (Selector s : ORDER) {
            if ((firedBits & s.bit()) != 0 && own[s.ordinal()].has(nowMillis)) {
                reason = s;
                break;
            }
        }
        if (reason == null || !shared.has(nowMillis)) {
            suppressedRate.incrementAndGet();
            suppress(firedBits);
            return null;
        }
        long hash = frameHash.getAsLong();
        for (long h : recentHashes) {
            if (DifferenceHash.distance(h, hash) <= config.duplicateDistance()) {
                suppressedDuplicates.incrementAndGet();
                suppress(firedBits);
                return null;
            }
        }
        shared.take(nowMillis);
        own[reason.ordinal()].take(nowMillis);
        accepted.incrementAndGet(reason.ordinal());
        recentHashes.addFirst(hash);
        if (recentHashes.size() > RECENT) {
            recentHashes.removeLast();
        }
        List<HardExampleReason> reasons = new ArrayList<>(Integer.bitCount(firedBits));
        for (Selector s : ORDER) {
            if ((firedBits & s.bit()) != 0) {
                reasons.add(s.reason());
            }
        }
        return new Choice(reason.reason(), List.copyOf(reasons));
    }

    private void suppress(int firedBits) {
        for (Selector s : ORDER) {
            if ((firedBits & s.bit()) != 0) {
                suppressed.incrementAndGet(s.ordinal());
            }
        }
    }

    /** Frames not sent because a near-duplicate of them was sent recently. */
    public long suppressedDuplicates() {
        return suppressedDuplicates.get();
    }

    /** Frames not sent because the shared budget, or the own budget of every selector that fired, was spent. */
    public long suppressedRate() {
        return suppressedRate.get();
    }

    /** The counters of every selector that runs, in {@link Selector} order. */
    public Map<Selector, Counts> counts() {
        Map<Selector, Counts> out = new EnumMap<>(Selector.class);
        for (Selector s : selectors()) {
            int i = s.ordinal();
            out.put(s, new Counts(fired.get(i), accepted.get(i), suppressed.get(i)));
        }
        return out;
    }

    /**
     * Why an accepted frame is sent.
     *
     * @param reason  the first selector (in {@link Selector} order) that fired and had room in its own budget
     * @param reasons every selector that fired, in {@link Selector} order
     */
    public record Choice(HardExampleReason reason, List<HardExampleReason> reasons) {
    }

    /**
     * One selector's counters since start.
     *
     * @param fired      frames it fired on
     * @param accepted   frames sent with its reason
     * @param suppressed frames it fired on that were not sent (budget or near-duplicate)
     */
    public record Counts(long fired, long accepted, long suppressed) {
    }
}
