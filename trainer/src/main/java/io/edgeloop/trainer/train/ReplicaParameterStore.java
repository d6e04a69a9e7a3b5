package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parameters one replica of a data-parallel step sees, on the replica's device. Blocks ask their
 * {@link ParameterStore} for every parameter during forward; this store answers with copies of the primary's
 * current values:
 * <ul>
 *   <li>trainable parameters: a fresh copy per step, made on first use in the step, a leaf that collects its own
 *       gradient (read back by {@link #gradient}); the copies live in the step's manager;</li>
 *   <li>everything else (frozen weights, BatchNorm running statistics): one copy kept across steps and renewed when
 *       the primary's parameter array is replaced (checkpoint resume, best-weights restore). BatchNorm layers that
 *       train update the replica's copy of their running statistics, which nothing reads (training mode normalises
 *       with the batch statistics, validation runs on the primary): the primary's statistics come from the
 *       primary's shard, as with PyTorch's DataParallel.</li>
 * </ul>
 *
 * <p>Why not DJL's {@code ParameterStore(manager, true)}: it copies each parameter once and keeps serving that
 * first copy (stale after the optimiser's update), it keys mirrors by device (so two replicas on one device would
 * share them), and a same-device {@code toDevice(device, true)} returns the very same tensor on the PyTorch engine
 * rather than a copy. Confined to the training thread.
 */
final class ReplicaParameterStore extends ParameterStore implements AutoCloseable {

    private final Device device;
    private final NDManager persistent;
    private final Set<Parameter> trainable;
    /** Parameter → {primary array it was copied from, copy}, for parameters that do not train. */
    private final Map<Parameter, NDArray[]> fixed = new IdentityHashMap<>();
    private final Map<Parameter, NDArray> stepCopies = new IdentityHashMap<>();
    private NDManager stepManager;

    /**
     * @param persistent a manager on the replica's device that this store owns (closed with it)
     * @param trainable  the parameters the optimiser updates (compared by identity)
     */
    ReplicaParameterStore(NDManager persistent, Collection<Parameter> trainable) {
        super(persistent, false);
        this.device = persistent.getDevice();
        this.persistent = persistent;
        Set<Parameter> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(trainable);
        this.trainable = set;
    }

    /** The replica's device. */
    Device device() {
        return device;
    }

    /** Starts a step: trainable copies made from now on go into {@code manager} (closed by the caller). */
    void beginStep(NDManager manager) {
        stepCopies.clear();
        stepManager = manager;
    }

    /** Ends a step: forgets the step's copies (their manager is closed by the caller). */
    void endStep() {
        stepCopies.clear();
        stepManager = null;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device requested, boolean training) {
        if (parameter == null) {
            return null;
        }
        if (!device.equals(requested)) {
            throw new IllegalStateException("the replica on " + device + " was asked for parameter '"
                    + parameter.getName() + "' on " + requested + "; a shard's arrays must all be on its device");
        }
        if (trainable.contains(parameter)) {
            if (stepManager == null) {
                throw new IllegalStateException("parameter '" + parameter.getName()
                        + "' requested outside a data-parallel step");
            }
            NDArray copy = stepCopies.get(parameter);
            if (copy == null) {
                copy = copyOf(parameter.getArray(), stepManager);
                copy.setRequiresGradient(true);
                stepCopies.put(parameter, copy);
            }
            return copy;
        }
        NDArray source = parameter.getArray();
        NDArray[] entry = fixed.get(parameter);
        if (entry == null || entry[0] != source) {
            if (entry != null) {
                entry[1].close();
            }
            entry = new NDArray[] {source, copyOf(source, persistent)};
            fixed.put(parameter, entry);
        }
        return entry[1];
    }

    /**
     * The gradient this step's backward left on the replica's copy of {@code parameter}, or null when the step did
     * not use the parameter.
     */
    NDArray gradient(Parameter parameter) {
        NDArray copy = stepCopies.get(parameter);
        return copy == null ? null : copy.getGradient();
    }

    /** A copy of {@code source}'s current values on this device, without autograd history, attached to {@code into}. */
    private NDArray copyOf(NDArray source, NDManager into) {
        // the detached view and the engine's per-device sub-manager of a cross-device copy go into a temporary
        // manager, so nothing is left behind in the primary's manager step after step
        try (NDManager temp = into.newSubManager(source.getDevice())) {
            NDArray detached = source.stopGradient();
            detached.attach(temp);
            // same device: toDevice would hand back the same tensor; duplicate() clones
            NDArray copy = detached.getDevice().equals(device) ? detached.duplicate()
                    : detached.toDevice(device, false);
            copy.attach(into);
            return copy;
        }
    }

    @Override
    public void close() {
        fixed.clear();
        stepCopies.clear();
        persistent.close();
    }
}
