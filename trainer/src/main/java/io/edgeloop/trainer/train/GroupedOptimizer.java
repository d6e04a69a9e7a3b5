package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
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
 * count) is kept in NDArrays owned by this object and can be saved into and restored from a checkpoint.
 */
public final class GroupedOptimizer implements AutoCloseable {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final FitConfig config;
    private final NDManager stateManager;
    /** name → state arrays: AdamW {m, v}; SGD {momentumBuffer}. */
    private final Map<String, NDArray[]> state = new HashMap<>();
    private long steps;

    public GroupedOptimizer(FitConfig config, NDManager parent) {
        this.config = config;
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
                // update through a detached view sharing the storage: autograd (whose grad mode is per thread and
                // on by default in new threads) rejects in-place changes of a leaf that requires grad
                NDArray weight = array.stopGradient();
                double lr = baseRate * tp.lrFactor();
                boolean decay = config.weightDecay() > 0 && weight.getShape().dimension() > 1;
                if (config.optimiser() == OptimiserKind.ADAMW) {
                    adamw(tp.name(), weight, grad, lr, decay);
                } else {
                    sgd(tp.name(), weight, grad, lr, decay);
                }
                grad.subi(grad);
            }
        }
    }

    private void adamw(String name, NDArray weight, NDArray grad, double lr, boolean decay) {
        NDArray[] s = state.computeIfAbsent(name, k -> new NDArray[] {persistentZeros(weight),
                persistentZeros(weight)});
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
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
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

    @Override
    public void close() {
        stateManager.close();
    }
}
