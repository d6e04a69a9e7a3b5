package io.edgeloop.trainer.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.trainer.compare.PairedComparison;
import io.edgeloop.trainer.compare.PairedComparison.ClassDelta;
import io.edgeloop.trainer.job.CompareJob;
import io.edgeloop.trainer.job.CompareRequest;
import io.edgeloop.trainer.job.CompareResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer compare --model A --model B --data DIR}: both model packages on the same labelled images with
 * ONNX Runtime, per-class recall deltas, McNemar's exact test on the images only one of them got right, and the
 * verdict for B against A: better, not distinguishable, or worse.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two model packages on the same labelled images: per-class deltas, McNemar's exact"
                + " test and a verdict for the second against the first.")
public final class CompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx",
            description = "Give it twice: the baseline first, then the candidate.")
    List<Path> models;

    @Mixin
    DataOptions data;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05",
            description = "Significance level of the verdict, 0 < P <= 0.5. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--json", description = "Print the comparison as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (models.size() != 2) {
            throw new IllegalArgumentException("--model is given " + models.size() + " time"
                    + (models.size() == 1 ? "" : "s") + ", allowed exactly 2: --model BASELINE --model CANDIDATE");
        }
        CompareResult result = new CompareJob().run(new CompareRequest(models.get(0), models.get(1), data.data,
                data.threads(), data.batchSizeIfGiven(), alpha));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(document(result.comparison())));
        } else {
            print(out, result.comparison());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Map<String, Object> document(PairedComparison c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("baseline", models.get(0).toString());
        doc.put("candidate", models.get(1).toString());
        doc.put("images", c.images());
        doc.put("baselineAccuracy", c.baselineAccuracy());
        doc.put("candidateAccuracy", c.candidateAccuracy());
        doc.put("baselineOnlyCorrect", c.test().baselineOnly());
        doc.put("candidateOnlyCorrect", c.test().candidateOnly());
        doc.put("test", "McNemar exact (two-sided)");
        doc.put("pValue", c.test().pValue());
        doc.put("alpha", c.alpha());
        doc.put("verdict", c.verdict().text());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassDelta d : c.perClass()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", d.label());
            row.put("images", d.images());
            row.put("baselineCorrect", d.baselineCorrect());
            row.put("candidateCorrect", d.candidateCorrect());
            row.put("recallDeltaPoints", d.recallDeltaPoints());
            perClass.add(row);
        }
        doc.put("perClass", perClass);
        return doc;
    }

    private void print(PrintWriter out, PairedComparison c) {
        ComparisonTable.print(out, "", models.get(0).toString(), models.get(1).toString(), c);
    }
}
