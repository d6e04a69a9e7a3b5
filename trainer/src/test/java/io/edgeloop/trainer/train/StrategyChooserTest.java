package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.trainer.model.FineTuneStrategy;
import org.junit.jupiter.api.Test;

class StrategyChooserTest {

    @Test
    void autoFollowsTheMedianThresholds() {
        // the experiment (docs/transfer-learning.md): the head alone never won, so auto never picks it
        StrategyDecision few = StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {1, 1, 400});
        assertEquals(FineTuneStrategy.PARTIAL, few.chosen());
        assertEquals("auto: median 1 training images per class in 1..200 → partial fine-tuning", few.reason());

        StrategyDecision some = StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {21, 30});
        assertEquals(FineTuneStrategy.PARTIAL, some.chosen());
        assertEquals(25.5, some.medianPerClass());
        assertEquals("auto: median 25.5 training images per class in 1..200 → partial fine-tuning",
                some.reason());

        StrategyDecision many = StrategyChooser.choose(FineTuneStrategy.AUTO, new int[] {201, 900, 5});
        assertEquals(FineTuneStrategy.FULL, many.chosen());
        assertEquals("auto: median 201 training images per class > 200 → full fine-tuning", many.reason());
    }

    @Test
    void anExplicitStrategyIsKept() {
        StrategyDecision d = StrategyChooser.choose(FineTuneStrategy.SCRATCH, new int[] {3, 3});
        assertEquals(FineTuneStrategy.SCRATCH, d.requested());
        assertEquals(FineTuneStrategy.SCRATCH, d.chosen());
        assertEquals("requested scratch (median 3 training images per class)", d.reason());
    }
}
