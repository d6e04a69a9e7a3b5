package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void linearWarmupThenCosineToZero() {
        FitConfig config = FitConfig.builder().epochs(5).warmupEpochs(1).learningRate(0.1).build();
        LearningRateSchedule s = new LearningRateSchedule(config, 10);
        assertEquals(0.01, s.rate(0), 1e-12);
        assertEquals(0.05, s.rate(4), 1e-12);
        assertEquals(0.1, s.rate(10), 1e-12);   // first step after warmup: full rate
        assertEquals(0.05, s.rate(30), 1e-12);  // half-way through the 40 cosine steps
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40)), s.rate(49), 1e-12);
    }

    @Test
    void stepDecayMultipliesEveryStepEpochs() {
        FitConfig config = FitConfig.builder().epochs(9).warmupEpochs(0).learningRate(0.2)
                .schedule(ScheduleKind.STEP).stepEpochs(3).stepGamma(0.5).build();
        LearningRateSchedule s = new LearningRateSchedule(config, 4);
        assertEquals(0.2, s.rate(0), 1e-12);
        assertEquals(0.2, s.rate(11), 1e-12);
        assertEquals(0.1, s.rate(12), 1e-12);
        assertEquals(0.05, s.rate(35), 1e-12);
    }
}
