package io.edgeloop.trainer.job;

import io.edgeloop.trainer.label.ReplayMatcher;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Labelling an inbox's unlabelled examples from ground truth instead of a person ({@code trainer label auto}): a
 * truth file mapping image SHA-256 to label, or the ImageFolder tree a device replays, matched by pixels. Build one
 * with {@link #fromTruthFile} or {@link #fromReplay}. Validated; messages name the fields as the command spells them.
 *
 * @param truthFile     CSV {@code <sha256>,<label>} lines or a JSON object ({@code --truth}); empty with a replay
 * @param replay        the replay tree ({@code --replay}); empty with a truth file
 * @param maxDifference largest mean grey difference (0..255) of a replay match ({@code --max-difference})
 * @param writeTruth    where to also write the truth used, as CSV ({@code --write-truth})
 * @param check         which labels are accepted; the replay tree's class folders always count as known
 */
public record AutoLabelRequest(Optional<Path> truthFile, Optional<Path> replay, double maxDifference,
                               Optional<Path> writeTruth, LabelCheck check) {

    public AutoLabelRequest {
        Objects.requireNonNull(truthFile, "truthFile");
        Objects.requireNonNull(replay, "replay");
        if (truthFile.isPresent() == replay.isPresent()) {
            throw new IllegalArgumentException("ground truth is " + (truthFile.isPresent() ? "both --truth "
                    + truthFile.get() + " and --replay " + replay.get() : "missing") + ", allowed one of --truth FILE"
                    + " or --truth-from replay --replay DIR");
        }
        if (!(maxDifference > 0 && maxDifference <= 255)) {
            throw new IllegalArgumentException("--max-difference is " + maxDifference + ", allowed more than 0, at"
                    + " most 255");
        }
        Objects.requireNonNull(writeTruth, "writeTruth");
        Objects.requireNonNull(check, "check");
    }

    /** Ground truth from a file. */
    public static AutoLabelRequest fromTruthFile(Path file) {
        return new AutoLabelRequest(Optional.of(file), Optional.empty(), ReplayMatcher.DEFAULT_MAX_DIFFERENCE,
                Optional.empty(), LabelCheck.KNOWN_ONLY);
    }

    /** Ground truth from the replay tree, matched within {@code maxDifference}. */
    public static AutoLabelRequest fromReplay(Path replayTree, double maxDifference) {
        return new AutoLabelRequest(Optional.empty(), Optional.of(replayTree), maxDifference, Optional.empty(),
                LabelCheck.KNOWN_ONLY);
    }

    /** The same request, also writing the truth used to {@code file}. */
    public AutoLabelRequest withWriteTruth(Path file) {
        return new AutoLabelRequest(truthFile, replay, maxDifference, Optional.of(file), check);
    }

    /** The same request with another label check. */
    public AutoLabelRequest withCheck(LabelCheck labelCheck) {
        return new AutoLabelRequest(truthFile, replay, maxDifference, writeTruth, labelCheck);
    }
}
