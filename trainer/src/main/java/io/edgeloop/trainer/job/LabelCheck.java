package io.edgeloop.trainer.job;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which labels {@link LabelJob} accepts. Known labels are the models' top-k and the labels already given in the
 * inbox, plus the class folders of {@code trainingTree} when given; anything else is refused as a likely typo unless
 * {@code allowNew} says it is a new class on purpose ({@code --new-label}).
 *
 * @param trainingTree an ImageFolder training tree whose class folders count as known ({@code --data DIR})
 * @param allowNew     accept labels that are not known ({@code --new-label})
 */
public record LabelCheck(Optional<Path> trainingTree, boolean allowNew) {

    /** Known labels only, no training tree. */
    public static final LabelCheck KNOWN_ONLY = new LabelCheck(Optional.empty(), false);

    public LabelCheck {
        Objects.requireNonNull(trainingTree, "trainingTree");
    }

    /** Known labels, with the class folders of {@code tree}. */
    public static LabelCheck against(Path tree) {
        return new LabelCheck(Optional.of(tree), false);
    }

    /** The same check, accepting new labels too. */
    public LabelCheck allowingNew() {
        return new LabelCheck(trainingTree, true);
    }
}
