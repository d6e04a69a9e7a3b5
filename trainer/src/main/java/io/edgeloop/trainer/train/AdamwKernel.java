package io.edgeloop.trainer.train;

/**
 * How {@link GroupedOptimizer} computes an AdamW update. Both compute {@code torch.optim.AdamW}'s rule; they differ
 * in float rounding only (tested against each other and against the rule written out in doubles).
 */
public enum AdamwKernel {
    /**
     * One native call per tensor: the PyTorch engine's {@code adamUpdate} (moments, bias-corrected step and the
     * gradient's reset inside libtorch, no Java object per intermediate), its bias corrections folded exactly into
     * its rate and epsilon, the decoupled decay one in-place multiply before it. PyTorch engine only.
     */
    FUSED,
    /** About twelve separate NDArray operations per tensor, the rule as PyTorch writes it: the reference. */
    SEPARATE_OPS
}
