package io.edgeloop.trainer.fleet;

import java.util.ArrayList;
import java.util.Objects;
import java.util.List;
import java.util.Optional;

/**
 * One camera over time and whether it needs attention, judged on its latest window with enough frames.
 *
 * @param device    device id
 * @param camera    camera id
 * @param windows   its windows, oldest first
 * @param reference the training distribution of the latest window's model
 * @param silence   why the camera looks silent ({@code no telemetry since …} while the rest of the fleet reports, or
 *                  {@code classified no frames …} while its agent still reports), empty when it is not
 */
public record CameraDrift(String device, String camera, List<DriftWindow> windows, TrainingDistribution reference,
                          Optional<String> silence) {

    public CameraDrift {
        Objects.requireNonNull(silence, "silence");
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

    /** Whether the camera is silent or its latest judged window gave reasons. */
    public boolean needsAttention() {
        return silence.isPresent() || judged().map(w -> !w.reasons().isEmpty()).orElse(false);
    }

    /** Why it needs attention: the silence first, then the latest judged window's reasons. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        silence.ifPresent(reasons::add);
        judged().ifPresent(w -> reasons.addAll(w.reasons()));
        return reasons;
    }

    /** {@code device/camera}. */
    public String id() {
        return device + "/" + camera;
    }
}
