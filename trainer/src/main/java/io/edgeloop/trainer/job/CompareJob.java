package io.edgeloop.trainer.job;

import ai.onnxruntime.OrtException;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.trainer.compare.PairedComparison;
import java.io.IOException;
import java.util.HashSet;

/**
 * Evaluates two model packages on the same labelled images with ONNX Runtime (as {@link EvaluateJob} does, each
 * with its own card's preprocessing) and compares them image by image: accuracy and per-class recall of each, and
 * McNemar's exact test, whose verdict says whether the candidate is better, worse or not distinguishable from the
 * baseline. Images either model cannot read are left out of both.
 */
public final class CompareJob {

    /** Runs the request. */
    public CompareResult run(CompareRequest request) throws IOException, InterruptedException, OrtException,
            ModelPackageException {
        EvaluateResult baseline = new EvaluateJob().run(request.evaluation(request.baseline()));
        EvaluateResult candidate = new EvaluateJob().run(request.evaluation(request.candidate()));
        if (!new HashSet<>(baseline.evaluation().labels()).equals(new HashSet<>(candidate.evaluation().labels()))) {
            throw new IllegalArgumentException("the models have different labels: " + baseline.evaluation().labels()
                    + " (" + request.baseline() + ") and " + candidate.evaluation().labels() + " ("
                    + request.candidate() + "); compare needs models of the same classes");
        }
        var both = new HashSet<>(baseline.outcomes().stream().map(PairedComparison.Outcome::file).toList());
        both.retainAll(candidate.outcomes().stream().map(PairedComparison.Outcome::file).toList());
        PairedComparison comparison = PairedComparison.of(baseline.evaluation().labels(),
                baseline.outcomes().stream().filter(o -> both.contains(o.file())).toList(),
                candidate.outcomes().stream().filter(o -> both.contains(o.file())).toList(), request.alpha());
        return new CompareResult(baseline, candidate, comparison);
    }
}
