package io.edgeloop.trainer.pretrain;

import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FitResult;
import java.nio.file.Path;

/**
 * What {@link Pretrainer#run} produced.
 *
 * @param modelFile the written base model package
 * @param fit       the training run (history, best epoch, wall time)
 * @param sourceTest the kept weights on the source task's test images
 * @param pixels    the normalisation fitted on the source training images
 */
public record PretrainResult(Path modelFile, FitResult fit, Evaluation sourceTest, PixelStatistics pixels) {
}
