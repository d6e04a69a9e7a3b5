package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.experiment.ResultTable;
import io.edgeloop.trainer.experiment.ResultsFile;
import io.edgeloop.trainer.experiment.RunResult;
import io.edgeloop.trainer.experiment.SizePlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer experiment}'s option checks: exit code 2 and a message naming the option and what is allowed. */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    Run run(String... args) {
        return Run.command("experiment", args);
    }

    @Test
    void badSizesStrategiesAndFoldersAreUsageErrors() {
        Run sizes = run("--out", dir.toString(), "--sizes", "5:10,20");
        assertEquals(2, sizes.code());
        assertTrue(sizes.err().startsWith("trainer experiment: Invalid value for option '--sizes': size plan"
                + " '20' is invalid: expected"
                + " N:EPOCHS or all:EPOCHS, e.g. 20:30"), sizes.err());

        Run unknown = run("--out", dir.toString(), "--strategies", "head,magic");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("trainer experiment: Invalid value for option '--strategies':"
                + " magic (allowed head, partial,"
                + " full, scratch)"), unknown.err());

        Run auto = run("--out", dir.toString(), "--strategies", "head,auto");
        assertEquals(2, auto.code());
        assertTrue(auto.err().startsWith("trainer experiment: Invalid options: strategies [HEAD, AUTO]"
                + " contain AUTO, allowed head,"
                + " partial, full, scratch (the experiment measures each strategy)"), auto.err());

        Run half = run("--out", dir.toString(), "--train-dir", dir.toString());
        assertEquals(2, half.code());
        assertTrue(half.err().startsWith("trainer experiment: Options '--train-dir' and '--test-dir' go"
                + " together: give both or"
                + " neither"), half.err());
    }

    @Test
    void reportOnlyRewritesSummaryAndPlotFromTheRecordedRuns() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path sample = root.resolve("data/fashion-mnist-target");
        ResultsFile file = new ResultsFile(dir);
        List<RunResult> runs = List.of(
                new RunResult(5, FineTuneStrategy.HEAD, 1, 20, 0.70, 0.69, 0.75, 13, 18, 46.9),
                new RunResult(5, FineTuneStrategy.HEAD, 2, 20, 0.74, 0.73, 0.75, 18, 20, 14.1),
                new RunResult(5, FineTuneStrategy.FULL, 1, 20, 0.84, 0.83, 0.87, 12, 17, 92.8),
                new RunResult(SizePlan.ALL, FineTuneStrategy.FULL, 1, 23900, 0.97, 0.97, 0.96, 1, 1, 600));
        for (RunResult r : runs) {
            file.append(r);
        }
        Run r = run("--report-only", "--base", root.resolve("models/base/model.onnx").toString(), "--train-dir",
                sample.resolve("train").toString(), "--test-dir", sample.resolve("test").toString(), "--out",
                dir.toString());
        assertEquals(0, r.code(), r.err());
        String summary = Files.readString(dir.resolve(ExperimentCommand.SUMMARY));
        assertEquals(ResultTable.of(runs, 4).toMarkdown(), summary);
        assertTrue(summary.contains("| 5 | 2 | 72.0 ± 2.8 | **84.0 ± 0.0** | full |"), summary);
        assertTrue(summary.contains("| all (5975) | 1 | – | **97.0 ± 0.0** | full |"), summary);
        assertTrue(Files.size(dir.resolve(ExperimentCommand.PLOT)) > 1000);
        assertEquals(runs, file.read(), "nothing was run or added");
    }

    @Test
    void aMissingBaseModelFailsNamingTheFile() {
        Path missing = dir.resolve("nothing.onnx");
        Run r = run("--out", dir.toString(), "--base", missing.toString(), "--train-dir", dir.toString(),
                "--test-dir", dir.toString());
        assertEquals(2, r.code(), "a missing base model is bad input");
        assertTrue(r.err().startsWith("trainer experiment: "), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }
}
