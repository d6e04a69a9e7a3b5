package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * BatchNormalization over axis 1 (and, before opset 9, the per-activation {@code spatial=0} form). Inference mode
 * uses the running statistics. Training mode normalises with the batch statistics and updates the running ones with
 * ONNX semantics ({@code running = running·momentum + batch·(1 − momentum)}, biased batch variance): the engine's own
 * in-place update uses the unbiased variance, so it runs on throw-away arrays that receive the batch statistics, and
 * the update is done here, without gradient, through {@link OpContext#updateState} (in place, on the arrays the
 * node was given, unless they were unfrozen). The statistics come from the engine's fused batch norm: no extra pass
 * over the activations.
 */
final class BatchNormOp implements OnnxOp {

    static final int RUNNING_MEAN = 3;
    static final int RUNNING_VAR = 4;
    /**
     * DJL's PyTorch engine passes axis −1 straight to torch's batch_norm, whose channels are axis 1 (what ONNX
     * wants); any other axis, 1 included, is wrapped in two {@code swapAxes(1, axis)}: two transposes and their
     * autograd nodes per layer, and an output that is a view.
     */
    private static final int TORCH_CHANNEL_AXIS = -1;

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "X");
        NDArray scale = ctx.required(inputs, 1, "scale");
        NDArray bias = ctx.required(inputs, 2, "B");
        NDArray mean = ctx.required(inputs, RUNNING_MEAN, "input_mean");
        NDArray var = ctx.required(inputs, RUNNING_VAR, "input_var");
        if (ctx.node().outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            throw ctx.error("the running_mean/running_var outputs (training_mode graphs) are not supported;"
                    + " export the model in eval mode");
        }
        float eps = ctx.attributes().getFloat("epsilon", 1e-5f);
        float momentum = ctx.attributes().getFloat("momentum", 0.9f);
        if (ctx.opset() < 9) {
            long spatial = ctx.attributes().getInt("spatial", 1);
            if (spatial == 0) {
                return List.of(perActivation(ctx, x, scale, bias, mean, var, eps, momentum));
            }
            if (spatial != 1) {
                throw ctx.error("attribute 'spatial' is " + spatial + " (allowed: 0, 1)");
            }
        }
        if (!ctx.training()) {
            // DJL hands 1 − momentum to torch; the momentum does not matter in inference mode
            return List.of(BatchNorm.batchNorm(x, mean, var, scale, bias, TORCH_CHANNEL_AXIS, momentum, eps, false)
                    .singletonOrThrow());
        }
        // The engine normalises with the batch statistics and writes them into the running-stat arrays it is
        // given: with ONNX momentum 0 (torch momentum 1) into fresh zero arrays it writes exactly the batch mean and
        // the unbiased batch variance, without another pass over the activations. ONNX's update uses the biased
        // variance: unbiased × (n − 1) / n.
        long count = x.getShape().size() / x.getShape().get(1);
        NDArray y;
        try (NDArray batchMean = mean.zerosLike(); NDArray batchVar = var.zerosLike()) {
            y = BatchNorm.batchNorm(x, batchMean, batchVar, scale, bias, TORCH_CHANNEL_AXIS, 0f, eps, true)
                    .singletonOrThrow();
            // batchMean and batchVar stay unchanged: autograd saved them with the batch norm
            NDArray meanStep = batchMean.mul(1f - momentum);
            NDArray varStep = batchVar.mul((1f - momentum) * (count - 1) / (double) count);
            if (mean.hasGradient() || var.hasGradient()) {
                // unfrozen statistics (newTrainer() does that): new values, which the update freezes again
                ctx.updateState(RUNNING_MEAN, meanStep.add(mean.mul(momentum)));
                ctx.updateState(RUNNING_VAR, varStep.add(var.mul(momentum)));
            } else {
                // in place: running·momentum + batch·(1 − momentum), the same float operations, without copying
                // the values out and back in
                ctx.updateState(RUNNING_MEAN, mean.muli(momentum).addi(meanStep));
                ctx.updateState(RUNNING_VAR, var.muli(momentum).addi(varStep));
            }
        }
        return List.of(y);
    }

    /**
     * BatchNormalization-7/8 with {@code spatial=0}: statistics per activation (scale, B, mean and var are C×D1×…,
     * averaged over the batch axis only). Runs as plain arithmetic; in training mode the running statistics are
     * updated like the spatial form (biased batch variance).
     */
    private static NDArray perActivation(OpContext ctx, NDArray x, NDArray scale, NDArray bias, NDArray mean,
            NDArray var, float eps, float momentum) {
        long[] perItem = java.util.Arrays.copyOfRange(x.getShape().getShape(), 1, x.getShape().dimension());
        if (!java.util.Arrays.equals(scale.getShape().getShape(), perItem)) {
            throw ctx.error("spatial=0 needs scale of shape " + java.util.Arrays.toString(perItem)
                    + " (one value per activation of input " + x.getShape() + "), got " + scale.getShape());
        }
        NDArray epsilon = ScalarTensor.of(ctx.manager(), eps);
        if (!ctx.training()) {
            return x.sub(mean).mul(scale.div(var.add(epsilon).sqrt())).add(bias);
        }
        NDArray n = ScalarTensor.of(ctx.manager(), x.getShape().get(0));
        NDArray batchMean = x.sum(new int[] {0}).div(n);
        NDArray centred = x.sub(batchMean);
        NDArray batchVar = centred.mul(centred).sum(new int[] {0}).div(n);
        NDArray m = ScalarTensor.of(ctx.manager(), momentum);
        NDArray rest = ScalarTensor.of(ctx.manager(), 1f - momentum);
        ctx.updateState(RUNNING_MEAN, batchMean.stopGradient().mul(rest).add(mean.mul(m)));
        ctx.updateState(RUNNING_VAR, batchVar.stopGradient().mul(rest).add(var.mul(m)));
        return centred.mul(scale.div(batchVar.add(epsilon).sqrt())).add(bias);
    }

    @Override
    public boolean isDataInput(int index) {
        return true;
    }
}
