package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.GateResult;
import java.io.PrintWriter;

/** How {@code trainer deploy --gate} and {@code trainer retrain} print a {@link GateResult}. */
final class GateReport {

    private GateReport() {
    }

    /** The test set, each baseline's figures and decision, and the notes. */
    static void print(PrintWriter out, GateResult r) {
        for (String note : r.notes()) {
            out.println("gate: " + note);
        }
        if (r.judged().isEmpty()) {
            out.println("gate: passed, nothing to beat");
            return;
        }
        out.println("gate: judging " + r.candidateName() + " on " + r.dataImages() + " held-out image(s) + "
                + r.hardExamples() + " labelled hard example(s)");
        if (r.trainedOn() > 0 || r.otherClass() > 0) {
            out.println("gate: left out " + r.trainedOn() + " hard example(s) a model was trained on, "
                    + r.otherClass() + " of other classes");
        }
        for (GateResult.Judged j : r.judged()) {
            out.println("gate: against " + j.baseline() + (j.devices().isEmpty() ? ""
                    : ", run by " + String.join(", ", j.devices())));
            ComparisonTable.print(out, "  ", j.baseline(), r.candidateName(), j.comparison());
            out.println(j.refusal().map(why -> "gate: REFUSED, " + why)
                    .orElse("gate: passed against " + j.baseline()));
        }
    }
}
