package io.edgeloop.trainer.train;

import ai.djl.Device;
import java.util.List;
import java.util.Objects;

/**
 * The devices one training run uses, in order. The first is the primary: it holds the network's parameters, the
 * optimiser state, the feature cache and the checkpoints, and runs validation. With more than one device each
 * training step is data-parallel ({@link DataParallelStep}): the batch is split into one contiguous shard per
 * device.
 *
 * <p>The list may name the same device more than once: the replicas then share it, which is how the data-parallel
 * code runs on a machine without GPUs (tests use N entries of {@link Device#cpu()}). The {@code fit} command never
 * builds such a list; it validates {@code --gpus} (no duplicates, existing indices) before building one.
 *
 * @param devices at least one device, none null; the first is the primary
 */
public record TrainingDevices(List<Device> devices) {

    public TrainingDevices {
        Objects.requireNonNull(devices, "devices");
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices is empty, allowed: at least one device");
        }
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i) == null) {
                throw new IllegalArgumentException("devices[" + i + "] is null, allowed: a DJL device");
            }
        }
        devices = List.copyOf(devices);
    }

    /** One device: the ordinary single-device training loop. */
    public static TrainingDevices single(Device device) {
        return new TrainingDevices(List.of(Objects.requireNonNull(device, "device")));
    }

    /** The device that holds the parameters and the optimiser state. */
    public Device primary() {
        return devices.get(0);
    }

    /** Number of devices (= shards per step). */
    public int size() {
        return devices.size();
    }

    /** The {@code i}-th device; 0 is the primary. */
    public Device get(int i) {
        return devices.get(i);
    }

    /** True when a step is split over more than one device. */
    public boolean dataParallel() {
        return devices.size() > 1;
    }
}
