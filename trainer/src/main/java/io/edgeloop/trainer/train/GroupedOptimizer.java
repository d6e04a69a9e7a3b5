package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AdamW or SGD over parameter groups with different learning rates (DJL's {@code Optimizer} has a single rate
 * tracker). Each parameter's rate is {@code baseRate × lrFactor}. The update rules are PyTorch's
 * ({@code torch.optim.AdamW}, {@code torch.optim.SGD}); weight decay is not applied to one-dimensional parameters
 * (biases, BatchNorm scale/shift), the usual fine-tuning practice. The state (moments, momentum buffers, step
 * count) is kept in NDArrays owned by this object and can be saved into and restored from a checkpoint. AdamW runs
 * as one native call per tensor by default ({@link AdamwKernel#FUSED}); {@link AdamwKernel#SEPARATE_OPS} is the
 * reference it is tested and benchmarked against.
 */
public final class GroupedOptimizer implements AutoCloseable {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** {@code adamUpdate}'s switches that must stay off for torch's rule: no rescale, no clipping. */
    private static final float NO_RESCALE = 1f;
    private static final float NO_CLIP = -1f;
    /**
     * adamUpdate takes β as a float and adds {@code (1 − β)·g} with {@code 1 − β} computed in float: for β2 = 0.999
     * that is 1.3e-5 below 0.001 (float 0.999 is 0.99900001), for β1 = 0.9 2.4e-7 above 0.1. Both moments are
     * linear recurrences from zero, so its moments are exactly these factors times torch's: the factors are folded
     * into its rate and epsilon, and taken out when the state is saved (checkpoints hold torch's moments).
     */
    private static final double FUSED_M_SCALE = (1 - (double) (float) BETA1) / (1 - BETA1);
    private static final double FUSED_V_SCALE = (1 - (double) (float) BETA2) / (1 - BETA2);

    private final FitConfig config;
    private final AdamwKernel kernel;
    private final NDManager stateManager;
    /** name → state arrays: AdamW {m, v}; SGD {momentumBuffer}. */
    private final Map<String, NDArray[]> state = new HashMap<>();
    private long steps;

    /** An optimiser with the {@link AdamwKernel#FUSED} AdamW kernel. */
    public GroupedOptimizer(FitConfig config, NDManager parent) {
        this(config, parent, AdamwKernel.FUSED);
    }

    /**
     * @param kernel how AdamW updates are computed (ignored for SGD); {@code FUSED} needs the PyTorch engine
     * @throws IllegalArgumentException for {@code FUSED} on another engine, whose {@code adamUpdate} is not the
     *                                  rule checked here
     */
    public GroupedOptimizer(FitConfig config, NDManager parent, AdamwKernel kernel) {
        String engine = parent.getEngine().getEngineName();
        if (kernel == AdamwKernel.FUSED && config.optimiser() == OptimiserKind.ADAMW && !"PyTorch".equals(engine)) {
            throw new IllegalArgumentException("AdamW kernel FUSED needs the PyTorch engine, not " + engine
                    + "; use " + AdamwKernel.SEPARATE_OPS);
        }
        this.config = config;
        this.kernel = kernel;
        this.stateManager = parent.newSubManager();
    }

    /** Number of updates made so far (restored with the state). */
    public long steps() {
        return steps;
    }

    /**
     * Applies one update to every parameter from its gradient, then zeroes the gradients.
     *
     * @param baseRate the scheduled rate of this step
     */
    public void step(List<TrainableParameter> parameters, double baseRate) {
        steps++;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (TrainableParameter tp : parameters) {
                NDArray array = tp.parameter().getArray();
                NDArray grad;
                try {
                    grad = array.getGradient();
                } catch (IllegalStateException noGradient) {
                    continue; // not reached by this step's loss: skipped, as torch.optim skips grad=None
                }
                double lr = baseRate * tp.lrFactor();
                boolean decay = config.weightDecay() > 0 && array.getShape().dimension() > 1;
                if (config.optimiser() == OptimiserKind.ADAMW && kernel == AdamwKernel.FUSED) {
                    adamwFused(tp.name(), array, grad, lr, decay);
                    continue; // adamUpdate zeroes the gradient itself
                }
                // update through a detached view sharing the storage: autograd (whose grad mode is per thread and
                // on by default in new threads) rejects in-place changes of a leaf that requires grad
                NDArray weight = array.stopGradient();
                if (config.optimiser() == OptimiserKind.ADAMW) {
                    adamw(tp.name(), weight, grad, lr, decay);
                } else {
                    sgd(tp.name(), weight, grad, lr, decay);
                }
                grad.subi(grad);
            }
        }
    }

    /** The reference: torch.optim.AdamW's single-tensor rule, one NDArray operation at a time. */
    private void adamw(String name, NDArray weight, NDArray grad, double lr, boolean decay) {
        NDArray[] s = moments(name, weight);
        NDArray m = s[0];
        NDArray v = s[1];
        if (decay) {
            weight.muli(1 - lr * config.weightDecay());
        }
        m.muli(BETA1).addi(grad.mul(1 - BETA1));
        v.muli(BETA2).addi(grad.square().muli(1 - BETA2));
        double bias1 = 1 - Math.pow(BETA1, steps);
        double bias2 = 1 - Math.pow(BETA2, steps);
        NDArray denominator = v.div(bias2).sqrt().addi(EPSILON);
        weight.subi(m.div(denominator).muli(lr / bias1));
    }

    /**
     * The same rule in one native call. libtorch's {@code adamUpdate} (DJL 0.33 {@code PtNDArrayEx}) computes
     * {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w −= α·m / (√v + ε)} with neither bias correction, and
     * would add the decay to the gradient (Adam's L2) or as {@code w −= w·lr·wd}. torch's AdamW step
     * {@code w −= lr/c1 · m / (√v/√c2 + ε)} ({@code c1 = 1−β1ᵗ}, {@code c2 = 1−β2ᵗ}) equals it exactly with
     * {@code α = lr·√c2/c1} and {@code ε' = ε·√c2}, and with its moments {@code sm·m}, {@code sv·v} (see
     * {@link #FUSED_M_SCALE}) with {@code α = lr·√c2·√sv / (c1·sm)} and {@code ε' = ε·√c2·√sv}. The decay is
     * torch's own in-place {@code w ·= 1 − lr·wd} before it; adamUpdate gets weight decay 0 (its {@code g + 0·w}
     * leaves g unchanged), no rescale, no clipping, no lazy update. It runs under no-grad, so it updates the
     * parameter itself; it also zeroes the parameter's gradient.
     */
    private void adamwFused(String name, NDArray parameter, NDArray grad, double lr, boolean decay) {
        NDArray[] s = moments(name, parameter);
        if (decay) {
            // torch.optim.AdamW: param.mul_(1 - lr * weight_decay); on a detached view (see step)
            parameter.stopGradient().muli(1 - lr * config.weightDecay());
        }
        double c1 = 1 - Math.pow(BETA1, steps);
        double root = Math.sqrt((1 - Math.pow(BETA2, steps)) * FUSED_V_SCALE);
        parameter.getNDArrayInternal().adamUpdate(new NDList(parameter, grad, s[0], s[1]), new NDList(parameter),
                (float) lr, (float) (lr * root / (c1 * FUSED_M_SCALE)), 0f, NO_RESCALE, NO_CLIP, (float) BETA1,
                (float) BETA2, (float) (EPSILON * root), false, false);
    }

    private NDArray[] moments(String name, NDArray like) {
        return state.computeIfAbsent(name, k -> new NDArray[] {persistentZeros(like), persistentZeros(like)});
    }

    private void sgd(String name, NDArray weight, NDArray grad, double lr, boolean decay) {
        NDArray g = decay ? grad.add(weight.mul(config.weightDecay())) : grad;
        double momentum = config.momentum();
        if (momentum > 0) {
            NDArray[] s = state.get(name);
            if (s == null) {
                NDArray buffer = g.duplicate();
                NDScope.unregister(buffer);
                buffer.attach(stateManager);
                state.put(name, new NDArray[] {buffer});
                s = state.get(name);
            } else {
                s[0].muli(momentum).addi(g);
            }
            g = config.nesterov() ? g.add(s[0].mul(momentum)) : s[0];
        }
        weight.subi(g.mul(lr));
    }

    private NDArray persistentZeros(NDArray like) {
        NDArray z = stateManager.zeros(like.getShape(), like.getDataType(), like.getDevice());
        NDScope.unregister(z);
        return z;
    }

    /** Writes the step count and every state array, keyed by parameter name. */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        Map<String, NDArray[]> sorted = new TreeMap<>(state);
        out.writeInt(sorted.size());
        for (Map.Entry<String, NDArray[]> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            NDArray[] arrays = e.getValue();
            out.writeInt(arrays.length);
            for (int i = 0; i < arrays.length; i++) {
                double scale = savedScale(i);
                byte[] bytes;
                if (scale == 1) {
                    bytes = arrays[i].encode();
                } else {
                    try (NDArray torchConvention = arrays[i].div(scale)) {
                        bytes = torchConvention.encode();
                    }
                }
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Restores what {@link #save} wrote, replacing the current state.
     *
     * @param parameters the parameters being trained: every saved name must be one of them with the same shape
     */
    public void load(DataInputStream in, List<TrainableParameter> parameters) throws IOException {
        Map<String, TrainableParameter> byName = new HashMap<>();
        parameters.forEach(p -> byName.put(p.name(), p));
        state.values().forEach(arrays -> {
            for (NDArray a : arrays) {
                a.close();
            }
        });
        state.clear();
        steps = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int n = in.readInt();
            NDArray[] arrays = new NDArray[n];
            for (int j = 0; j < n; j++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays[j] = NDArray.decode(stateManager, bytes);
                if (savedScale(j) != 1) {
                    arrays[j].muli(savedScale(j));
                }
            }
            TrainableParameter tp = byName.get(name);
            if (tp == null || !tp.parameter().getArray().getShape().equals(arrays[0].getShape())) {
                throw new IOException("optimiser state for parameter '" + name + "' does not match the network ("
                        + (tp == null ? "no such trainable parameter" : "shape " + arrays[0].getShape()
                        + " vs " + tp.parameter().getArray().getShape()) + ")");
            }
            state.put(name, arrays);
        }
    }

    /** The factor between state array {@code index} as kept and as saved (torch's moments): 1 but for FUSED. */
    private double savedScale(int index) {
        if (config.optimiser() != OptimiserKind.ADAMW || kernel != AdamwKernel.FUSED) {
            return 1;
        }
        return index == 0 ? FUSED_M_SCALE : FUSED_V_SCALE;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
