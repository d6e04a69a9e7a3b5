package io.edgeloop.trainer.train;

import ai.djl.Device;

/**
 * Where training runs: the CPU, or GPUs. With {@code gpu} the {@code fit} command trains on every GPU PyTorch sees
 * (or the ones {@code --gpus} lists) and splits each step over them when there is more than one
 * ({@link TrainingDevices}, {@link DataParallelStep}).
 */
public enum DeviceKind {
    CPU,
    GPU;

    /** The DJL device (for GPU the first one); GPU needs the CUDA natives (Maven profile {@code gpu}) and a GPU. */
    public Device device() {
        return this == CPU ? Device.cpu() : Device.gpu();
    }
}
