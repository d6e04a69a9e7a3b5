package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.IdxFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new DatasetsCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void exportsFromExplicitDirectory() throws Exception {
        Path source = Files.createDirectories(dir.resolve("idx"));
        IdxFiles.writeSplit(source, FashionMnistSplit.TEST, 40, new int[] {6, 7, 8, 9, 0});
        Path target = dir.resolve("target");
        int code = run("fashion-mnist", "--source-dir", source.toString(), "--out", target.toString(),
                "--split", "test", "--per-class", "3", "--seed", "9");
        assertEquals(0, code, err.toString());
        assertEquals(String.format("Exported 12 images of Fashion-MNIST test (task target) to %s%n"
                + "  sandal            3%n  sneaker           3%n  bag               3%n  ankle-boot        3%n",
                target), out.toString());
        try (var files = Files.list(target.resolve("ankle-boot"))) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().matches("test-\\d{5}\\.png")));
        }
    }

    @Test
    void missingDatasetExitsWithOneAndExplains() {
        int code = run("fashion-mnist", "--source-dir", dir.resolve("none").toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("trainer datasets fashion-mnist: Fashion-MNIST file not found: neither "
                + dir.resolve("none").resolve("train-images-idx3-ubyte.gz")), err.toString());
        assertTrue(err.toString().contains("'sudo apt-get install dataset-fashion-mnist'"), err.toString());
    }

    @Test
    void badTaskIsUsageErrorListingChoices() {
        int code = run("fashion-mnist", "--out", dir.toString(), "--task", "shoes");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("Invalid value for option '--task': task 'shoes' is not one of source,"
                + " target, all"), err.toString());
    }

    @Test
    void badPerClassIsUsageError() {
        int code = run("fashion-mnist", "--out", dir.toString(), "--per-class", "0");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("Invalid value for option '--per-class': 0 (must be >= 1)"),
                err.toString());
    }

    @Test
    void withoutSubcommandIsUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().startsWith("Missing subcommand: expected one of [fashion-mnist]"), err.toString());
    }
}
