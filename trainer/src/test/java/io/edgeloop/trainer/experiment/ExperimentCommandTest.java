package io.edgeloop.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trainer experiment}'s option checks: exit code 2 and a message naming the option and what is allowed. */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ExperimentCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badSizesStrategiesAndFoldersAreUsageErrors() {
        Run sizes = run("--out", dir.toString(), "--sizes", "5:10,20");
        assertEquals(2, sizes.code());
        assertTrue(sizes.err().startsWith("Invalid value for option '--sizes': size plan '20' is invalid: expected"
                + " N:EPOCHS or all:EPOCHS, e.g. 20:30"), sizes.err());

        Run unknown = run("--out", dir.toString(), "--strategies", "head,magic");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("Invalid value for option '--strategies': magic (allowed head, partial,"
                + " full, scratch)"), unknown.err());

        Run auto = run("--out", dir.toString(), "--strategies", "head,auto");
        assertEquals(2, auto.code());
        assertTrue(auto.err().startsWith("Invalid options: strategies [HEAD, AUTO] contain AUTO, allowed head,"
                + " partial, full, scratch (the experiment measures each strategy)"), auto.err());

        Run half = run("--out", dir.toString(), "--train-dir", dir.toString());
        assertEquals(2, half.code());
        assertTrue(half.err().startsWith("Options '--train-dir' and '--test-dir' go together: give both or"
                + " neither"), half.err());
    }

    @Test
    void aMissingBaseModelFailsNamingTheFile() {
        Path missing = dir.resolve("nothing.onnx");
        Run r = run("--out", dir.toString(), "--base", missing.toString(), "--train-dir", dir.toString(),
                "--test-dir", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("trainer experiment: "), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }
}
