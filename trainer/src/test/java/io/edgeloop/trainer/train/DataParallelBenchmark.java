package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Figures, not assertions: the cost of the data-parallel machinery when every replica is the CPU (so nothing runs
 * in parallel: this is pure overhead of the split, the parameter copies and the gradient combination against one
 * full-batch step). Run with {@code -Dtest=DataParallelBenchmark -DexcludedTestGroups=}.
 */
@Tag("benchmark")
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
class DataParallelBenchmark {

    static final int BATCH = 32;
    static final int WARMUP = 3;
    static final int STEPS = 20;

    @Test
    void stepTimeOnCpuReplicas() {
        for (Path model : List.of(DataParallelStepTest.FOLDED, DataParallelStepTest.WITH_BN)) {
            for (int devices = 1; devices <= 3; devices++) {
                double[] ms = run(model, devices);
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "%s, %d device(s), batch %d 64x64, full, AdamW: median step %.1f ms"
                        + " (min %.1f, max %.1f)%n", model.getFileName(), devices, BATCH, ms[ms.length / 2], ms[0],
                        ms[ms.length - 1]);
            }
        }
    }

    private static double[] run(Path model, int devices) {
        FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.FULL).imageSize(DataParallelStepTest.SIZE)
                .build();
        ClassificationLoss loss = new ClassificationLoss(DataParallelStepTest.CLASSES, 0.1, Optional.empty());
        int size = DataParallelStepTest.SIZE;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(model, HeadSpec.auto(DataParallelStepTest.CLASSES, 7),
                     manager);
             GroupedOptimizer optimizer = new GroupedOptimizer(config, manager)) {
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            List<TrainableParameter> trainable = TrainableParameters.select(net, FineTuneStrategy.FULL, 0.1);
            TrainableParameters.syncGradientFlags(net);
            ParameterStore store = new ParameterStore(manager, false);
            int[] labels = DataParallelStepTest.labels(BATCH);
            double[] ms = new double[STEPS];
            try (DataParallelStep parallel = devices == 1 ? null
                    : new DataParallelStep(DataParallelStepTest.cpus(devices), trainable, manager)) {
                for (int step = 0; step < WARMUP + STEPS; step++) {
                    long t0 = System.nanoTime();
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray x = batch.create(DataParallelStepTest.images(BATCH, step),
                                new Shape(BATCH, 3, size, size));
                        if (parallel == null) {
                            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                                NDArray out = net.block().forward(store, new NDList(x), true).singletonOrThrow();
                                NDArray l = loss.compute(out, batch.create(labels));
                                l.getFloat();
                                collector.backward(l);
                                out.toFloatArray();
                            }
                        } else {
                            parallel.forwardBackward(store, x, labels, loss,
                                    (s, in) -> net.block().forward(s, new NDList(in), true).singletonOrThrow());
                        }
                        optimizer.step(trainable, 1e-3);
                    }
                    if (step >= WARMUP) {
                        ms[step - WARMUP] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            return ms;
        }
    }
}
