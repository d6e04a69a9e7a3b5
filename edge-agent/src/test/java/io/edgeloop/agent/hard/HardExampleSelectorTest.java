package io.edgeloop.agent.hard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.HardExampleSelectors;
import io.edgeloop.agent.config.HardExampleSelectors.Audit;
import io.edgeloop.agent.config.HardExampleSelectors.Classes;
import io.edgeloop.agent.config.HardExampleSelectors.Disagreement;
import io.edgeloop.agent.config.HardExampleSelectors.Entropy;
import io.edgeloop.agent.config.HardExampleSelectors.LowConfidence;
import io.edgeloop.agent.config.HardExampleSelectors.Margin;
import io.edgeloop.agent.config.HardExamplesConfig;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every selector on constructed scores, alone and together, with the budgets and duplicate suppression. */
class HardExampleSelectorTest {

    /** Midnight, so minute, hour and day windows all start here. */
    private static final long DAY = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 86_400_000L);

    private static Classification c(String label, double top1, double top2, double entropy) {
        return new Classification(label, top1, top1 - top2, List.of(new Classification.Ranked(label, top1),
                new Classification.Ranked(label.equals("b") ? "a" : "b", top2)), 0, entropy);
    }

    private static Classification c(double top1, double top2) {
        return c("a", top1, top2, 0.5);
    }

    private static HardExamplesConfig config(int perMinute, int perHour, int perDay, int distance) {
        return new HardExamplesConfig(true, 0.6, 0.1, perMinute, perHour, perDay, distance, 85, 640, null);
    }

    private static HardExamplesConfig with(HardExampleSelectors selectors) {
        return new HardExamplesConfig(true, null, null, 10_000, 100_000, 1_000_000, 0, 85, 640, selectors);
    }

    private static HardExampleSelector selector(HardExampleSelectors selectors) {
        return new HardExampleSelector(with(selectors), "cam1");
    }

    private static HardExampleSelectors only(HardExampleSelectors.Selector s) {
        return new HardExampleSelectors(s instanceof LowConfidence l ? l : null, s instanceof Margin m ? m : null,
                s instanceof Entropy e ? e : null, s instanceof Classes k ? k : null, s instanceof Audit a ? a : null,
                s instanceof Disagreement d ? d : null);
    }

    private static int bit(Selector s) {
        return s.bit();
    }

    @Test
    void theShorthandSelectsByConfidenceThenMargin() {
        HardExampleSelector s = new HardExampleSelector(config(10, 10, 10, 0), "cam1");
        assertEquals(List.of(Selector.LOW_CONFIDENCE, Selector.MARGIN), s.selectors());
        assertEquals(bit(Selector.LOW_CONFIDENCE), s.fired(c(0.5, 0.3)));
        assertEquals(bit(Selector.MARGIN), s.fired(c(0.62, 0.58)));
        assertEquals(bit(Selector.LOW_CONFIDENCE) | bit(Selector.MARGIN), s.fired(c(0.45, 0.4)));
        assertEquals(0, s.fired(c(0.9, 0.05)));
        assertEquals(HardExampleReason.LOW_CONFIDENCE, s.accept(s.fired(c(0.45, 0.4)), () -> 1, DAY).reason());
        HardExampleSelector off = new HardExampleSelector(HardExamplesConfig.DEFAULT, "cam1");
        assertEquals(0, off.fired(c(0.1, 0.1), true));
        assertEquals(List.of(), off.selectors());
    }

    @Test
    void lowConfidenceFiresBelowItsThreshold() {
        HardExampleSelector s = selector(only(new LowConfidence(null, 0.5, null, null, null)));
        assertEquals(bit(Selector.LOW_CONFIDENCE), s.fired(c(0.49, 0.4)));
        assertEquals(0, s.fired(c(0.5, 0.49)), "at the threshold is not below it; margins are not looked at");
    }

    @Test
    void marginFiresBelowItsThreshold() {
        HardExampleSelector s = selector(only(new Margin(null, 0.2, null, null, null)));
        assertEquals(bit(Selector.MARGIN), s.fired(c(0.5, 0.31)));
        assertEquals(0, s.fired(c(0.5, 0.25)));
        assertEquals(0, s.fired(c(0.2, 0.0)), "a low score with a clear margin is not a margin case");
    }

    @Test
    void entropyFiresAboveItsThresholdOnTheWholeDistribution() {
        HardExampleSelector s = selector(only(new Entropy(null, 0.7, null, null, null)));
        assertEquals(bit(Selector.ENTROPY), s.fired(c("a", 0.9, 0.05, 0.71)));
        assertEquals(0, s.fired(c("a", 0.3, 0.29, 0.7)));
        // Scores from the postprocessor: the top two are the same in both, the other eight classes differ.
        List<String> labels = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        Postprocessor p = new Postprocessor(labels, OutputKind.PROBABILITIES, 1, 2, 0, Map.of());
        float e = 0.05f;
        Classification spread = p.apply(new float[] {0.4f, 0.2f, e, e, e, e, e, e, e, e});
        Classification narrow = p.apply(new float[] {0.4f, 0.2f, 0.2f, 0.2f, 0, 0, 0, 0, 0, 0});
        assertEquals(spread.top(), narrow.top());
        assertTrue(spread.entropy() > 0.7, "spread " + spread.entropy());
        assertTrue(narrow.entropy() < 0.7, "narrow " + narrow.entropy());
        assertEquals(bit(Selector.ENTROPY), s.fired(spread));
        assertEquals(0, s.fired(narrow));
    }

    @Test
    void classesFireOnTheirTopLabelOptionallyOnlyBelowAConfidence() {
        HardExampleSelector any = selector(only(new Classes(null, List.of("b"), null, null, null, null)));
        assertEquals(bit(Selector.CLASS), any.fired(c("b", 0.99, 0.01, 0)));
        assertEquals(0, any.fired(c("a", 0.4, 0.39, 1)), "another class, however uncertain");
        Classification unknownB = new Classification(Postprocessor.UNKNOWN, 0.3, 0.1,
                List.of(new Classification.Ranked("b", 0.3), new Classification.Ranked("a", 0.2)), 0.5, 0.9);
        assertEquals(bit(Selector.CLASS), any.fired(unknownB), "the model's top-1, also when reported unknown");
        HardExampleSelector unsure = selector(only(new Classes(null, List.of("b"), 0.9, null, null, null)));
        assertEquals(0, unsure.fired(c("b", 0.95, 0.05, 0)));
        assertEquals(bit(Selector.CLASS), unsure.fired(c("b", 0.85, 0.15, 0)));
    }

    @Test
    void disagreementFiresWhenTheShadowDisagreed() {
        HardExampleSelector s = selector(only(new Disagreement(null, null, null, null)));
        assertEquals(bit(Selector.DISAGREEMENT), s.fired(c(0.99, 0.01), true));
        assertEquals(0, s.fired(c(0.99, 0.01), false));
        assertEquals(0, s.fired(c(0.99, 0.01)));
        HardExampleSelector none = selector(only(new LowConfidence(null, 0.5, null, null, null)));
        assertEquals(0, none.fired(c(0.99, 0.01), true), "without the selector a disagreement selects nothing");
        HardExampleSelector.Choice choice = s.accept(s.fired(c(0.99, 0.01), true), () -> 1, DAY);
        assertEquals(HardExampleReason.DISAGREEMENT, choice.reason());
        assertEquals(List.of(HardExampleReason.DISAGREEMENT), choice.reasons());
    }

    @Test
    void auditSamplesAtItsRateWhateverTheScoresAndReproducibly() {
        Audit audit = new Audit(null, 0.1, 7L, null, null, null);
        HardExampleSelector sure = selector(only(audit));
        HardExampleSelector unsure = selector(only(audit));
        HardExampleSelector otherCamera = new HardExampleSelector(with(only(audit)), "cam2");
        HardExampleSelector otherSeed = selector(only(new Audit(null, 0.1, 8L, null, null, null)));
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        List<Integer> seeded = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            a.add(sure.fired(c(0.99, 0.01)));
            b.add(unsure.fired(c(0.34, 0.33)));
            other.add(otherCamera.fired(c(0.99, 0.01)));
            seeded.add(otherSeed.fired(c(0.99, 0.01)));
        }
        long count = a.stream().filter(x -> x != 0).count();
        // binomial(10000, 0.1): mean 1000, sd 30
        assertTrue(count > 900 && count < 1100, "sampled " + count);
        assertEquals(a, b, "the draw does not depend on the scores");
        assertNotEquals(a, other, "each camera draws its own sample");
        assertNotEquals(a, seeded, "the seed chooses the sample");
        assertEquals(count, sure.counts().get(Selector.AUDIT).fired());
        HardExampleSelector every = selector(only(new Audit(null, 1.0, 0L, null, null, null)));
        assertEquals(bit(Selector.AUDIT), every.fired(c(1, 0)));
    }

    @Test
    void severalFireTheReasonIsTheFirstInOrderAndAllAreListed() {
        HardExampleSelectors all = new HardExampleSelectors(new LowConfidence(null, 0.6, null, null, null),
                new Margin(null, 0.1, null, null, null), new Entropy(null, 0.5, null, null, null),
                new Classes(null, List.of("a"), null, null, null, null), null,
                new Disagreement(null, null, null, null));
        HardExampleSelector s = selector(all);
        assertEquals(List.of(Selector.DISAGREEMENT, Selector.CLASS, Selector.LOW_CONFIDENCE, Selector.MARGIN,
                Selector.ENTROPY), s.selectors());
        int fired = s.fired(c("a", 0.45, 0.4, 0.8));
        HardExampleSelector.Choice choice = s.accept(fired, () -> 1, DAY);
        assertEquals(HardExampleReason.CLASS, choice.reason());
        assertEquals(List.of(HardExampleReason.CLASS, HardExampleReason.LOW_CONFIDENCE, HardExampleReason.MARGIN,
                HardExampleReason.ENTROPY), choice.reasons());
        choice = s.accept(s.fired(c("b", 0.45, 0.4, 0.8), true), () -> 1L << 40 | 0xFFFF, DAY);
        assertEquals(HardExampleReason.DISAGREEMENT, choice.reason());
        assertEquals(List.of(HardExampleReason.DISAGREEMENT, HardExampleReason.LOW_CONFIDENCE,
                HardExampleReason.MARGIN, HardExampleReason.ENTROPY), choice.reasons());
        assertEquals(HardExampleReason.ENTROPY, s.accept(s.fired(c("b", 0.9, 0.05, 0.6)), () -> 3, DAY).reason());
        HardExampleSelector audited = selector(all.overriddenBy(only(new Audit(null, 1.0, 0L, null, null, null))));
        choice = audited.accept(audited.fired(c("a", 0.45, 0.4, 0.8)), () -> 1, DAY);
        assertEquals(HardExampleReason.AUDIT, choice.reason(), "an audit sample stays an audit sample");
        assertEquals(5, choice.reasons().size());
    }

    @Test
    void eachSelectorHasItsOwnBudgetBesideTheSharedOne() {
        HardExampleSelector s = selector(new HardExampleSelectors(new LowConfidence(null, 0.6, null, null, null),
                null, null, null, new Audit(null, 1.0, 0L, null, 2, null), null));
        long t = DAY;
        HardExampleSelector.Choice first = s.accept(s.fired(c(0.99, 0.01)), () -> 1, t);
        assertEquals(HardExampleReason.AUDIT, first.reason());
        assertNotNull(s.accept(s.fired(c(0.99, 0.01)), () -> 1L << 20, t + 1));
        assertNull(s.accept(s.fired(c(0.99, 0.01)), () -> 1L << 40, t + 2), "audit's 2 per hour are spent");
        // an uncertain frame still goes, for the next selector that fired and has room
        HardExampleSelector.Choice uncertain = s.accept(s.fired(c(0.4, 0.3)), () -> 0xFFFFL, t + 3);
        assertEquals(HardExampleReason.LOW_CONFIDENCE, uncertain.reason());
        assertEquals(List.of(HardExampleReason.AUDIT, HardExampleReason.LOW_CONFIDENCE), uncertain.reasons());
        assertEquals(HardExampleReason.AUDIT, s.accept(s.fired(c(0.99, 0.01)), () -> 0xFFFF_0000L, t + 3_600_000)
                .reason(), "next hour");
        Map<Selector, HardExampleSelector.Counts> counts = s.counts();
        assertEquals(new HardExampleSelector.Counts(5, 3, 1), counts.get(Selector.AUDIT));
        assertEquals(new HardExampleSelector.Counts(1, 1, 0), counts.get(Selector.LOW_CONFIDENCE));
        assertEquals(List.of(Selector.AUDIT, Selector.LOW_CONFIDENCE), List.copyOf(counts.keySet()));
        assertEquals(1, s.suppressedRate());

        // the shared budget caps all selectors together
        HardExampleSelector capped = new HardExampleSelector(new HardExamplesConfig(true, null, null, 1, 10, 10, 0,
                85, 640, new HardExampleSelectors(new LowConfidence(null, 0.6, null, null, null), null, null, null,
                        new Audit(null, 1.0, 0L, null, null, null), null)), "cam1");
        assertNotNull(capped.accept(capped.fired(c(0.99, 0.01)), () -> 1, t));
        assertNull(capped.accept(capped.fired(c(0.4, 0.3)), () -> 1L << 30, t + 1));
        assertEquals(new HardExampleSelector.Counts(1, 0, 1), capped.counts().get(Selector.LOW_CONFIDENCE));
        assertEquals(new HardExampleSelector.Counts(2, 1, 1), capped.counts().get(Selector.AUDIT));
    }

    @Test
    void aSwitchedOffSelectorNeverFires() {
        HardExampleSelector s = selector(new HardExampleSelectors(new LowConfidence(false, 0.6, null, null, null),
                null, null, null, new Audit(false, 1.0, 0L, null, null, null), null));
        assertEquals(List.of(), s.selectors());
        assertEquals(0, s.fired(c(0.1, 0.05)));
        assertEquals(Map.of(), s.counts());
    }

    @Test
    void rateLimitsPerMinuteHourAndDay() {
        HardExampleSelector s = new HardExampleSelector(config(2, 3, 4, 0), "cam1");
        int low = bit(Selector.LOW_CONFIDENCE);
        long t = DAY;
        assertNotNull(s.accept(low, () -> 1, t));
        assertNotNull(s.accept(low, () -> 2, t + 1000));
        assertNull(s.accept(low, () -> 3, t + 2000)); // minute budget spent
        assertNotNull(s.accept(low, () -> 4, t + 61_000)); // next minute
        assertNull(s.accept(low, () -> 5, t + 122_000)); // hour budget (3) spent
        assertNotNull(s.accept(low, () -> 6, t + 3_600_000)); // next hour
        assertNull(s.accept(low, () -> 7, t + 7_200_000)); // day budget (4) spent
        assertNotNull(s.accept(low, () -> 8, t + 86_400_000)); // next day
        assertEquals(3, s.suppressedRate());
    }

    @Test
    void framesOverBudgetAreNotHashed() {
        HardExampleSelector s = new HardExampleSelector(config(1, 10, 10, 0), "cam1");
        int[] hashed = {0};
        assertNotNull(s.accept(bit(Selector.MARGIN), () -> ++hashed[0], 0));
        for (int i = 1; i <= 100; i++) {
            assertNull(s.accept(bit(Selector.MARGIN), () -> ++hashed[0], i));
        }
        assertEquals(1, hashed[0], "only the frame within budget was hashed");
        assertEquals(100, s.suppressedRate());
        assertEquals(new HardExampleSelector.Counts(0, 1, 100), s.counts().get(Selector.MARGIN));
    }

    @Test
    void nearDuplicatesAreSuppressed() {
        Random r = new Random(9);
        BufferedImage scene = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        var g = scene.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.BLACK, 160, 120, Color.WHITE));
        g.fillRect(0, 0, 160, 120);
        g.setColor(Color.RED);
        g.fillOval(40, 30, 50, 40);
        g.dispose();
        BufferedImage noisy = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int p = scene.getRGB(x, y);
                int n = r.nextInt(5) - 2;
                int v = Math.max(0, Math.min(255, (p & 0xFF) + n));
                noisy.setRGB(x, y, (p & 0xFFFF00) | v);
            }
        }
        BufferedImage other = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        var g2 = other.createGraphics();
        g2.setPaint(new java.awt.GradientPaint(160, 0, Color.BLACK, 0, 120, Color.WHITE));
        g2.fillRect(0, 0, 160, 120);
        g2.dispose();
        long a = DifferenceHash.of(scene);
        long b = DifferenceHash.of(noisy);
        long c = DifferenceHash.of(other);
        assertTrue(DifferenceHash.distance(a, b) <= 6, "noise moved the hash by " + DifferenceHash.distance(a, b));
        assertTrue(DifferenceHash.distance(a, c) > 20, "different scenes only " + DifferenceHash.distance(a, c));
        HardExampleSelector s = new HardExampleSelector(config(100, 100, 100, 6), "cam1");
        int low = bit(Selector.LOW_CONFIDENCE);
        assertNotNull(s.accept(low, () -> a, 0));
        assertNull(s.accept(low, () -> b, 1));
        assertNotNull(s.accept(low, () -> c, 2));
        assertEquals(1, s.suppressedDuplicates());
        assertFalse(s.counts().isEmpty());
        assertEquals(new HardExampleSelector.Counts(0, 2, 1), s.counts().get(Selector.LOW_CONFIDENCE));
    }
}
