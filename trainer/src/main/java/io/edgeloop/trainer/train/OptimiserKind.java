package io.edgeloop.trainer.train;

/** Update rule. */
public enum OptimiserKind {
    /** Adam with decoupled weight decay (Loshchilov &amp; Hutter), PyTorch's {@code torch.optim.AdamW}. */
    ADAMW,
    /** SGD with optional (Nesterov) momentum and L2 weight decay, PyTorch's {@code torch.optim.SGD}. */
    SGD
}
