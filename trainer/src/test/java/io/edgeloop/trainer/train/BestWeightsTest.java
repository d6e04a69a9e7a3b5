package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BestWeightsTest {

    static final Optional<ValidationMetric> GOOD = Optional.of(new ValidationMetric(0.9, 0.3));
    static final Optional<ValidationMetric> WORSE = Optional.of(new ValidationMetric(0.5, 0.3));

    /** Stands in for an epoch of training: moves every parameter (statistics included) by {@code delta}. */
    static void train(TinyConvNetwork net, float delta) {
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            p.getValue().getArray().stopGradient().addi(delta); // a detached view: the leaf itself requires grad
        }
    }

    /** Every parameter bit for bit, BatchNorm statistics included. */
    static boolean sameValues(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }

    @Test
    void restoresTheBestEpochsParametersWhenALaterEpochEndsTheRun() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            TrainableParameters.syncGradientFlags(net);
            NetworkParameters parameters = new NetworkParameters(net, manager);
            BestWeights listener = new BestWeights(parameters, Optional.empty());
            StubRun run = new StubRun();
            assertTrue(listener.parameters().isEmpty());

            train(net, 0.25f);
            listener.onEpochEnd(run, run.endEpoch(GOOD), Optional.empty());
            Map<String, float[]> best = FineTunerTest.snapshot(net.block());
            train(net, 0.5f);
            listener.onEpochEnd(run, run.endEpoch(WORSE), Optional.empty());
            assertFalse(sameValues(best, FineTunerTest.snapshot(net.block())), "epoch 2 trained");
            int arrays = manager.getManagedArrays().size();
            ParameterStore before = parameters.store();

            listener.onTrainingEnd(run);
            assertTrue(sameValues(best, FineTunerTest.snapshot(net.block())), "epoch 1's parameters");
            assertNotSame(before, parameters.store(), "a new store: the old one caches the replaced arrays");
            assertEquals(arrays, manager.getManagedArrays().size(), "the replaced arrays are closed");
            net.block().getParameters().forEach(p -> assertEquals(TrainableParameters.wantsGradient(p.getValue()),
                    p.getValue().getArray().hasGradient(), p.getKey() + " gradient flag"));
        }
    }

    @Test
    void leavesTheNetworkAloneWhenTheLastEpochIsTheBest() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            NetworkParameters parameters = new NetworkParameters(net, manager);
            BestWeights listener = new BestWeights(parameters, Optional.empty());
            StubRun run = new StubRun();
            listener.onEpochEnd(run, run.endEpoch(WORSE), Optional.empty());
            train(net, 0.25f);
            listener.onEpochEnd(run, run.endEpoch(GOOD), Optional.empty());
            Map<String, float[]> last = FineTunerTest.snapshot(net.block());
            ParameterStore store = parameters.store();
            listener.onTrainingEnd(run);
            assertSame(store, parameters.store(), "nothing replaced");
            assertTrue(sameValues(last, FineTunerTest.snapshot(net.block())), "the last epoch's parameters");
        }
    }

    @Test
    void aResumedRunRestoresTheBestParametersItsCheckpointKept() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            NetworkParameters parameters = new NetworkParameters(net, manager);
            byte[] kept = parameters.snapshot();
            Map<String, float[]> best = FineTunerTest.snapshot(net.block());
            StubRun run = new StubRun();
            run.endEpoch(GOOD); // epoch 1, before the "resume"
            BestWeights listener = new BestWeights(parameters, Optional.of(kept));
            train(net, 1f);
            listener.onEpochEnd(run, run.endEpoch(WORSE), Optional.empty());
            assertSame(kept, listener.parameters().orElseThrow(), "what the checkpoint will hold again");
            listener.onTrainingEnd(run);
            assertTrue(sameValues(best, FineTunerTest.snapshot(net.block())), "the checkpoint's best parameters");
        }
    }
}
