package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BestEpochTest {

    static Optional<ValidationMetric> val(double accuracy, double loss) {
        return Optional.of(new ValidationMetric(accuracy, loss));
    }

    @Test
    void higherAccuracyWinsAndTiesGoToTheLowerLoss() {
        BestEpoch first = BestEpoch.NONE.after(1, val(0.5, 1.0));
        assertEquals(new BestEpoch(new ValidationMetric(0.5, 1.0), 1, 0), first);
        assertEquals(new BestEpoch(new ValidationMetric(0.5, 1.0), 1, 1), first.after(2, val(0.4, 0.1)),
                "lower accuracy, even at a lower loss");
        assertEquals(new BestEpoch(new ValidationMetric(0.5, 1.0), 1, 1), first.after(2, val(0.5, 1.0)),
                "an equal result is no improvement");
        assertEquals(new BestEpoch(new ValidationMetric(0.5, 0.9), 2, 0), first.after(2, val(0.5, 0.9)));
        assertEquals(new BestEpoch(new ValidationMetric(0.6, 2.0), 2, 0), first.after(2, val(0.6, 2.0)));
    }

    @Test
    void epochsWithoutImprovementCountUpAndResetOnImprovement() {
        BestEpoch best = BestEpoch.NONE.after(1, val(0.8, 0.5)).after(2, val(0.7, 0.5)).after(3, val(0.7, 0.4));
        assertEquals(1, best.epoch());
        assertEquals(2, best.epochsWithoutImprovement());
        assertEquals(new BestEpoch(new ValidationMetric(0.9, 0.5), 4, 0), best.after(4, val(0.9, 0.5)));
    }

    @Test
    void withoutValidationImagesEveryEpochIsTheBest() {
        BestEpoch best = BestEpoch.NONE.after(1, Optional.empty()).after(2, Optional.empty());
        assertEquals(new BestEpoch(ValidationMetric.NONE, 2, 0), best);
    }

    @Test
    void invalidValuesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BestEpoch(ValidationMetric.NONE, 1, -1));
        assertEquals("epochsWithoutImprovement is -1, allowed >= 0", e.getMessage());
    }
}
