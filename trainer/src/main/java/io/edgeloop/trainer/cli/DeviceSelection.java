package io.edgeloop.trainer.cli;

import ai.djl.Device;
import io.edgeloop.trainer.train.DeviceKind;
import io.edgeloop.trainer.train.TrainingDevices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * Turns {@code --device} and {@code --gpus} into the devices a fit runs on: {@code cpu} is one CPU; {@code gpu} is
 * every GPU PyTorch sees, or the ones {@code --gpus} lists, in its order (the first holds the weights). Errors name
 * the option, its value and what is allowed.
 */
final class DeviceSelection {

    private DeviceSelection() {
    }

    /**
     * @param kind     the {@code --device} value (cpu when not given)
     * @param gpus     the {@code --gpus} indices, or null when not given
     * @param gpuCount how many GPUs PyTorch sees; asked only for {@code --device gpu}
     */
    static TrainingDevices resolve(DeviceKind kind, List<Integer> gpus, IntSupplier gpuCount) {
        if (gpus != null && kind != DeviceKind.GPU) {
            throw new IllegalArgumentException("--gpus " + join(gpus) + " is only valid with --device gpu (the device"
                    + " is " + kind.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (kind == DeviceKind.CPU) {
            return TrainingDevices.single(Device.cpu());
        }
        int count = gpuCount.getAsInt();
        if (count == 0) {
            throw new IllegalArgumentException("--device gpu: PyTorch sees no GPU (the CUDA natives come with the"
                    + " Maven profile gpu; check the NVIDIA driver), allowed here: cpu");
        }
        List<Device> devices = new ArrayList<>();
        if (gpus == null) {
            for (int i = 0; i < count; i++) {
                devices.add(Device.gpu(i));
            }
            return new TrainingDevices(devices);
        }
        if (gpus.isEmpty()) {
            throw new IllegalArgumentException("--gpus is empty, allowed: a comma-separated list of GPU indices "
                    + allowed(count));
        }
        Set<Integer> seen = new HashSet<>();
        for (int index : gpus) {
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("--gpus " + join(gpus) + ": there is no GPU " + index
                        + ", allowed: " + allowed(count));
            }
            if (!seen.add(index)) {
                throw new IllegalArgumentException("--gpus " + join(gpus) + ": GPU " + index + " is listed twice,"
                        + " allowed: each GPU at most once");
            }
            devices.add(Device.gpu(index));
        }
        return new TrainingDevices(devices);
    }

    private static String allowed(int count) {
        return (count == 1 ? "0" : "0.." + (count - 1)) + " (PyTorch sees " + count + " GPU" + (count == 1 ? "" : "s")
                + ")";
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
