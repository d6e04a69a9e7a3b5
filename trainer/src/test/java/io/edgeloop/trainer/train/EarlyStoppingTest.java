package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Runs epochs with these validation accuracies (loss fixed) until a stop is requested; returns that epoch. */
    static List<Integer> stops(EarlyStopping listener, double... accuracies) {
        StubRun run = new StubRun();
        List<Integer> stoppedAt = new ArrayList<>();
        for (double accuracy : accuracies) {
            EpochMetrics m = run.endEpoch(Optional.of(new ValidationMetric(accuracy, 1.0)));
            int before = run.stopRequests.size();
            listener.onEpochEnd(run, m, Optional.of(evaluation(accuracy)));
            if (run.stopRequests.size() > before) {
                stoppedAt.add(m.epoch());
                break; // as the loop does
            }
        }
        return stoppedAt;
    }

    static Evaluation evaluation(double accuracy) {
        return new Evaluation(List.of("a", "b"), 2, accuracy, 1.0, List.of(), new int[][] {{1, 0}, {0, 1}},
                List.of());
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        StubRun run = new StubRun();
        EarlyStopping listener = new EarlyStopping(2, 10);
        for (double accuracy : new double[] {0.5, 0.6, 0.6, 0.55}) {
            listener.onEpochEnd(run, run.endEpoch(Optional.of(new ValidationMetric(accuracy, 1.0))),
                    Optional.of(evaluation(accuracy)));
        }
        assertEquals(List.of("no validation improvement for 2 epochs (best: epoch 2)"), run.stopRequests);
        assertEquals(4, run.progress.epochsCompleted(), "requested after epoch 4, not before");
        assertEquals(List.of(4), stops(new EarlyStopping(2, 10), 0.5, 0.6, 0.6, 0.55));
    }

    @Test
    void anImprovementRestartsTheCount() {
        // without the restart at epoch 3 it would stop there
        assertEquals(List.of(5), stops(new EarlyStopping(2, 10), 0.5, 0.4, 0.6, 0.6, 0.5, 0.5));
    }

    @Test
    void neverOnTheLastEpoch() {
        assertEquals(List.of(), stops(new EarlyStopping(2, 3), 0.5, 0.4, 0.4));
        assertEquals(List.of(3), stops(new EarlyStopping(2, 4), 0.5, 0.4, 0.4, 0.4));
    }

    @Test
    void neverWithPatienceZero() {
        assertEquals(List.of(), stops(new EarlyStopping(0, 10), 0.5, 0.4, 0.4, 0.4, 0.4));
    }

    @Test
    void neverWithoutValidationImages() {
        StubRun run = new StubRun();
        EarlyStopping listener = new EarlyStopping(1, 10);
        for (int i = 0; i < 4; i++) {
            listener.onEpochEnd(run, run.endEpoch(Optional.empty()), Optional.empty());
        }
        assertEquals(List.of(), run.stopRequests);
    }

    @Test
    void aNegativePatienceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1, 3));
        assertEquals("patience is -1, allowed >= 0 (0 = never stop)", e.getMessage());
    }
}
