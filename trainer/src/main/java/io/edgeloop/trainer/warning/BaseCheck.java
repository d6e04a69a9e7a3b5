package io.edgeloop.trainer.warning;

import java.nio.file.Path;
import java.util.Optional;

/** The {@link WarningCode#RANDOM_BASE} warning, from {@link BaseWeights}' evidence. */
public final class BaseCheck {

    private BaseCheck() {
    }

    /** The warning when the base's weights look random; empty when they look trained. */
    public static Optional<RunWarning> check(Path base, BaseWeights weights) {
        if (!weights.looksRandom()) {
            return Optional.empty();
        }
        return Optional.of(new RunWarning(WarningCode.RANDOM_BASE, base + " is randomly initialised, not"
                + " pretrained: " + String.join("; ", weights.evidence()) + ". Fine-tuning it is training from"
                + " scratch: with few images per class expect accuracy near chance, and the head-only strategy"
                + " learns on random features",
                "pull or build a pretrained base (" + DomainCheck.BASES_DOC + "); 'trainer init' output is only a"
                        + " starting point for 'trainer pretrain'"));
    }
}
