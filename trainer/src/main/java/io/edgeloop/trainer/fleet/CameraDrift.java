package io.edgeloop.trainer.fleet;

import java.util.List;
import java.util.Optional;

/**
 * One camera over time and whether it needs attention, judged on its latest window with enough frames.
 *
 * @param device    device id
 * @param camera    camera id
 * @param windows   its windows, oldest first
 * @param reference the training distribution of the latest window's model
 */
public record CameraDrift(String device, String camera, List<DriftWindow> windows, TrainingDistribution reference) {

    public CameraDrift {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a camera needs at least one window");
        }
    }

    /** The latest window that had enough frames to be judged. */
    public Optional<DriftWindow> judged() {
        for (int i = windows.size() - 1; i >= 0; i--) {
            if (windows.get(i).judged()) {
                return Optional.of(windows.get(i));
            }
        }
        return Optional.empty();
    }

    /** Whether the latest judged window gave reasons. */
    public boolean needsAttention() {
        return judged().map(w -> !w.reasons().isEmpty()).orElse(false);
    }

    /** {@code device/camera}. */
    public String id() {
        return device + "/" + camera;
    }
}
