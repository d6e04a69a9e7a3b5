package io.edgeloop.trainer.train;

import ai.djl.Device;

/** Where training runs. */
public enum DeviceKind {
    CPU,
    GPU;

    /** The DJL device; GPU needs the CUDA natives (Maven profile {@code gpu}) and a visible GPU. */
    public Device device() {
        return this == CPU ? Device.cpu() : Device.gpu();
    }
}
