package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The experiment grid and its training settings, validated on construction (errors name the field, the value and
 * what is allowed).
 *
 * @param baseModel          the pretrained base model package (ONNX with a model card)
 * @param trainDir           ImageFolder of the target task's labelled training images (the pool subsets are
 *                           drawn from, minus the validation images)
 * @param testDir            ImageFolder of the target task's test images, same classes
 * @param sizes              training-set sizes and their epochs
 * @param strategies         HEAD, PARTIAL, FULL and/or SCRATCH (not AUTO: the experiment measures each)
 * @param seeds              one run per seed per size and strategy; the seed picks the subset and seeds training
 * @param validationPerClass fixed validation images per class, held out from {@code trainDir} once, &gt;= 1
 * @param batchSize          images per step
 * @param learningRate       head learning rate (and every layer's for SCRATCH)
 * @param backboneLrFactor   backbone learning rate factor for PARTIAL and FULL, (0, 1]
 * @param freezeFraction     PARTIAL: fraction of the backbone's weight layers frozen, [0, 1]
 * @param patience           early stopping patience in epochs, 0 = never stop early
 * @param outDir             receives {@code results.csv}, {@code summary.md}, the plot and per-run folders
 */
public record ExperimentConfig(Path baseModel, Path trainDir, Path testDir, List<SizePlan> sizes,
                               List<FineTuneStrategy> strategies, List<Long> seeds, int validationPerClass,
                               int batchSize, double learningRate, double backboneLrFactor, double freezeFraction,
                               int patience, Path outDir) {

    /** Seed of the fixed validation split (independent of the run seeds, so every run validates alike). */
    public static final long VALIDATION_SPLIT_SEED = 2026;

    public ExperimentConfig {
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(trainDir, "trainDir");
        Objects.requireNonNull(testDir, "testDir");
        Objects.requireNonNull(outDir, "outDir");
        sizes = List.copyOf(sizes);
        strategies = List.copyOf(strategies);
        seeds = List.copyOf(seeds);
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("sizes is empty, allowed one or more N:EPOCHS entries");
        }
        if (new HashSet<>(sizes.stream().map(SizePlan::perClass).toList()).size() != sizes.size()) {
            throw new IllegalArgumentException("sizes " + sizes.stream().map(SizePlan::label).toList()
                    + " repeat a size, allowed each size once");
        }
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("strategies is empty, allowed one or more of head, partial, full,"
                    + " scratch");
        }
        if (strategies.contains(FineTuneStrategy.AUTO)) {
            throw new IllegalArgumentException("strategies " + strategies + " contain AUTO, allowed head, partial,"
                    + " full, scratch (the experiment measures each strategy)");
        }
        if (new HashSet<>(strategies).size() != strategies.size()) {
            throw new IllegalArgumentException("strategies " + strategies + " repeat a strategy");
        }
        if (seeds.isEmpty() || new HashSet<>(seeds).size() != seeds.size()) {
            throw new IllegalArgumentException("seeds " + seeds + " is invalid, allowed one or more distinct seeds");
        }
        if (validationPerClass < 1) {
            throw new IllegalArgumentException("validationPerClass is " + validationPerClass + ", allowed >= 1");
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", allowed 1..4096");
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate is " + learningRate + ", allowed 0 < lr <= 1");
        }
        if (!(backboneLrFactor > 0 && backboneLrFactor <= 1)) {
            throw new IllegalArgumentException("backboneLrFactor is " + backboneLrFactor + ", allowed 0 < f <= 1");
        }
        if (!(freezeFraction >= 0 && freezeFraction <= 1)) {
            throw new IllegalArgumentException("freezeFraction is " + freezeFraction + ", allowed 0..1");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience is " + patience + ", allowed >= 0");
        }
    }

    /** Number of runs in the grid. */
    public int runCount() {
        return sizes.size() * strategies.size() * seeds.size();
    }
}
