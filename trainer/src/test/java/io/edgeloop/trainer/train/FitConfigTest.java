package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FitConfigTest {

    private static String error(UnaryOperator<FitConfig.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(FitConfig.builder()).build())
                .getMessage();
    }

    @Test
    void defaultsAreValidAndRoundTripThroughTheBuilder() {
        FitConfig config = FitConfig.builder().build();
        assertEquals(FineTuneStrategy.AUTO, config.strategy());
        assertEquals(OptimiserKind.ADAMW, config.optimiser());
        assertEquals(0.1, config.backboneLrFactor());
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void errorsNameTheFieldTheValueAndWhatIsAllowed() {
        assertEquals("epochs is 0, allowed 1..100000", error(b -> b.epochs(0)));
        assertEquals("batchSize is 5000, allowed 1..4096", error(b -> b.batchSize(5000)));
        assertEquals("learningRate is -0.1, allowed 0 < lr <= 10", error(b -> b.learningRate(-0.1)));
        assertEquals("learningRate is NaN, allowed 0 < lr <= 10", error(b -> b.learningRate(Double.NaN)));
        assertEquals("backboneLrFactor is 2.0, allowed 0 < factor <= 1", error(b -> b.backboneLrFactor(2)));
        assertEquals("momentum is 1.0, allowed 0 <= momentum < 1", error(b -> b.momentum(1)));
        assertEquals("nesterov is true with momentum 0, allowed only with momentum > 0",
                error(b -> b.optimiser(OptimiserKind.SGD).momentum(0).nesterov(true)));
        assertEquals("warmupEpochs is 3, allowed 0..2 (less than epochs = 3)",
                error(b -> b.epochs(3).warmupEpochs(3)));
        assertEquals("labelSmoothing is 1.0, allowed 0 <= s < 1", error(b -> b.labelSmoothing(1)));
        assertEquals("freezeFraction is 1.5, allowed 0..1", error(b -> b.freezeFraction(1.5)));
        assertEquals("stepGamma is 0.0, allowed 0 < gamma <= 1", error(b -> b.stepGamma(0)));
        assertEquals("patience is -1, allowed 0..100000", error(b -> b.patience(-1)));
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> FitConfig.builder().strategy(null).build());
        assertEquals("strategy must be one of HEAD, PARTIAL, FULL, AUTO, SCRATCH", npe.getMessage());
    }
}
