package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainableParametersTest {

    @Test
    void partialFreezesTheFirstStages() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            net.applyStrategy(FineTuneStrategy.PARTIAL, 0.34);
            List<String> names = TrainableParameters.select(net, FineTuneStrategy.PARTIAL, 0.1).stream()
                    .map(TrainableParameter::name).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("01stage0")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("02stage1")), names.toString());
        }
    }

    @Test
    void scratchTrainsEveryWeightAtTheFullRateButNoRunningStatistic() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            net.applyStrategy(FineTuneStrategy.SCRATCH, 0);
            net.block().freezeParameters(false); // as DJL's unfreeze: flags the BatchNorm running statistics too
            List<TrainableParameter> trainable = TrainableParameters.select(net, FineTuneStrategy.SCRATCH, 0.1);
            TrainableParameters.syncGradientFlags(net);
            assertTrue(trainable.stream().allMatch(p -> p.lrFactor() == 1.0), trainable.toString());
            assertTrue(trainable.stream().noneMatch(p -> p.name().contains("running")), trainable.toString());
            net.block().getParameters().forEach(p -> assertEquals(
                    TrainableParameters.wantsGradient(p.getValue()), p.getValue().getArray().hasGradient(),
                    p.getKey()));
        }
    }
}
