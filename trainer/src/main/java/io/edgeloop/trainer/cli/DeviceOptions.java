package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.train.DeviceKind;
import io.edgeloop.trainer.train.TrainingDevices;
import java.util.List;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --gpus}: where a training command runs (fit, pretrain, experiment). */
public final class DeviceOptions {

    @Option(names = "--device", paramLabel = "D",
            description = "cpu or gpu (every GPU PyTorch sees, data-parallel when more than one). Default: cpu.")
    DeviceKind device;

    @Option(names = "--gpus", paramLabel = "LIST", split = ",", hideParamSyntax = true,
            description = "With --device gpu: the GPUs to train on, comma-separated indices such as 0,1; the first"
                    + " holds the weights. Default: every GPU.")
    List<Integer> gpus;

    DeviceKind kind() {
        return device == null ? DeviceKind.CPU : device;
    }

    /** The devices selected; {@code gpuCount} is asked only for {@code --device gpu}. */
    TrainingDevices resolve(IntSupplier gpuCount) {
        return DeviceSelection.resolve(kind(), gpus, gpuCount);
    }
}
