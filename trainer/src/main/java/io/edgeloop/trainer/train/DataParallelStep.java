package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Forward and backward of one training step split over several devices, like PyTorch's {@code DataParallel}: the
 * batch is cut into one contiguous shard per device ({@link ShardPlan}; empty shards of a short last batch are
 * skipped), each shard runs forward and backward on its device against a copy of the primary's current parameters
 * ({@link ReplicaParameterStore}; shard 0 runs on the primary's own parameters), and the replicas' gradients are
 * added into the primary's. Each shard's loss is scaled by its share of the batch before backward — {@code n_i / n},
 * or with class weights the shard's share of the summed weights of the batch's true classes — so the combined
 * gradient equals that of the full batch's (weighted) mean loss. The caller then makes one optimiser step on the
 * primary. Parameters that do not train are never written back to the primary.
 *
 * <p>BatchNorm layers that train normalise each shard with that shard's statistics (as DataParallel does), and the
 * primary's running statistics are updated from the primary's shard only.
 *
 * <p>The shards are issued one after another from the training thread (DJL allows one gradient collector at a time)
 * and their losses are read only after every backward, so on CUDA devices the kernels of different GPUs can run at
 * the same time. Confined to the training thread; owns the replicas' copies of the parameters.
 */
final class DataParallelStep implements AutoCloseable {

    /** How a shard's input becomes logits: the whole network on images, or the head alone on cached features. */
    @FunctionalInterface
    interface Forward {
        /** A training-mode forward pass of {@code input} with the parameters of {@code store}. */
        NDArray logits(ParameterStore store, NDArray input);
    }

    /**
     * What a step computed.
     *
     * @param loss   the full batch's loss (the shards' losses weighted by their shares); checked by the caller
     * @param logits the full batch's logits, row-major {@code n × classes}, in batch order
     */
    record Result(float loss, float[] logits) {
    }

    private final TrainingDevices devices;
    private final List<TrainableParameter> trainable;
    /** Index i-1 holds the replica of device i; the primary (0) has none. */
    private final List<ReplicaParameterStore> replicas = new ArrayList<>();

    /**
     * @param devices   two or more devices; the network's parameters must be on the first
     * @param trainable the parameters the optimiser updates
     * @param run       the run's manager: the replicas' long-lived copies go into sub-managers of it
     */
    DataParallelStep(TrainingDevices devices, List<TrainableParameter> trainable, NDManager run) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.trainable = List.copyOf(trainable);
        if (!devices.dataParallel()) {
            throw new IllegalArgumentException("a data-parallel step needs at least 2 devices, got " + devices);
        }
        List<Parameter> parameters = new ArrayList<>();
        trainable.forEach(tp -> parameters.add(tp.parameter()));
        try {
            for (int i = 1; i < devices.size(); i++) {
                replicas.add(new ReplicaParameterStore(run.newSubManager(devices.get(i)), parameters));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The devices, primary first. */
    TrainingDevices devices() {
        return devices;
    }

    /**
     * Runs forward and backward of every non-empty shard and leaves the combined gradient on the primary's
     * parameters (added to what they hold: the optimiser zeroes them after its step).
     *
     * @param primary the primary's parameter store
     * @param input   the batch on the primary device ({@code n × …}); shard arrays go into sub-managers of its
     *                manager
     * @param labels  the batch's class indices
     */
    Result forwardBackward(ParameterStore primary, NDArray input, int[] labels, ClassificationLoss loss,
                           Forward forward) {
        int n = labels.length;
        if (input.getShape().get(0) != n) {
            throw new IllegalArgumentException("the batch has " + input.getShape().get(0) + " rows but "
                    + n + " labels");
        }
        ShardPlan plan = ShardPlan.split(n, devices.size());
        double total = loss.weightOf(labels);
        NDManager batch = input.getManager();
        NDArray[] shardLoss = new NDArray[plan.shards()];
        NDArray[] shardLogits = new NDArray[plan.shards()];
        double[] share = new double[plan.shards()];
        try {
            try (GradientCollector collector = batch.getEngine().newGradientCollector()) {
                for (int i = 0; i < plan.shards(); i++) {
                    if (plan.size(i) == 0) {
                        continue;
                    }
                    Device device = devices.get(i);
                    NDManager shard = batch.newSubManager(device);
                    ParameterStore store = primary;
                    if (i > 0) {
                        ReplicaParameterStore replica = replicas.get(i - 1);
                        replica.beginStep(shard);
                        store = replica;
                    }
                    NDArray rows = plan.size(i) == n ? input
                            : input.get(new NDIndex(plan.from(i) + ":" + plan.to(i)));
                    NDArray x = rows.toDevice(device, false);
                    x.attach(shard);
                    int[] shardLabels = Arrays.copyOfRange(labels, plan.from(i), plan.to(i));
                    NDArray logits = forward.logits(store, x);
                    NDArray l = loss.compute(logits, shard.create(shardLabels));
                    share[i] = loss.weightOf(shardLabels) / total;
                    collector.backward(l.mul((float) share[i]));
                    shardLoss[i] = l;
                    shardLogits[i] = logits;
                }
            }
            combineGradients(plan);
            double lossValue = 0;
            float[] all = null;
            int offset = 0;
            for (int i = 0; i < plan.shards(); i++) {
                if (plan.size(i) == 0) {
                    continue;
                }
                lossValue += share[i] * shardLoss[i].getFloat();
                float[] part = shardLogits[i].toFloatArray();
                if (all == null) {
                    all = new float[part.length / plan.size(i) * n];
                }
                System.arraycopy(part, 0, all, offset, part.length);
                offset += part.length;
            }
            return new Result((float) lossValue, all);
        } finally {
            replicas.forEach(ReplicaParameterStore::endStep);
        }
    }

    /** Adds each replica's gradient into the primary parameter's gradient (the shares are in the losses already). */
    private void combineGradients(ShardPlan plan) {
        Device primaryDevice = devices.primary();
        for (TrainableParameter tp : trainable) {
            NDArray array = tp.parameter().getArray();
            if (!array.hasGradient()) {
                continue;
            }
            NDArray target = null;
            for (int i = 1; i < plan.shards(); i++) {
                if (plan.size(i) == 0) {
                    continue;
                }
                NDArray g = replicas.get(i - 1).gradient(tp.parameter());
                if (g == null) {
                    continue; // not reached by this shard's loss, nor then by shard 0's
                }
                if (target == null) {
                    target = array.getGradient();
                }
                target.addi(g.toDevice(primaryDevice, false));
            }
            if (target != null) {
                target.close(); // the handle only: the gradient stays on the parameter
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ReplicaParameterStore r : replicas) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        replicas.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
