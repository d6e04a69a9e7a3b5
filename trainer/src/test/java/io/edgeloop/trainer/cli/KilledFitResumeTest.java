package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.train.Checkpoint;
import io.edgeloop.trainer.train.MetricsLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3: {@code trainer fit} killed hard (SIGKILL, no shutdown hooks, no finally blocks) in the middle of an
 * epoch must leave a readable checkpoint, and {@code fit --resume} with the same arguments must continue after the
 * last completed epoch, finish the run and export a loadable model package. Both runs are child JVMs, as a user
 * would start them.
 */
class KilledFitResumeTest {

    private static final int EPOCHS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESUMING = Pattern.compile("resuming .* after epoch (\\d+) \\(step (\\d+)\\)");
    private static final Pattern EPOCH_DONE = Pattern.compile("epoch (\\d+)/" + EPOCHS + ": train loss");

    @Test
    void aRunKilledMidEpochResumesAfterItsLastCompletedEpochAndExportsTheModel(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        TestImages.writeDataset(data, new String[] {"a", "b", "c"}, new int[] {40, 40, 40}, 32, 3);
        Path base = dir.resolve("simplecnn.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
        Path out = dir.resolve("run");
        // full fine-tuning without augmentation: no feature cache, so every epoch runs 48 real training steps
        List<String> fitArgs = List.of("fit", "--base", base.toString(), "--data", data.toString(),
                "--out", out.toString(), "--strategy", "full", "--epochs", String.valueOf(EPOCHS),
                "--batch-size", "2", "--no-augment", "--threads", "1", "--seed", "1", "--log-every", "1",
                "--name", "killed", "--model-version", "1");

        Process first = start(fitArgs, dir.resolve("first.log"));
        int killedDuring;
        try {
            killedDuring = waitUntilAStepAfterACompletedEpoch(first, out.resolve(MetricsLog.FILE_NAME),
                    dir.resolve("first.log"));
        } finally {
            first.destroyForcibly();
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed trainer did not end");
        assertEquals(137, first.exitValue(), "exit code of a SIGKILLed JVM");

        // what the kill left behind: the completed epochs' lines and some steps of the epoch under way
        List<JsonNode> before = lines(out.resolve(MetricsLog.FILE_NAME));
        List<Integer> epochsBefore = epochs(before);
        int completed = epochsBefore.size();
        assertEquals(killedDuring - 1, completed, "the kill landed in epoch " + killedDuring);
        assertTrue(completed >= 1 && completed < EPOCHS, "completed epochs at the kill: " + epochsBefore);
        assertEquals(killedDuring, before.get(before.size() - 1).get("epoch").asInt(),
                "the last line is a step of the epoch under way");
        assertTrue(Files.isRegularFile(out.resolve(Checkpoint.FILE_NAME)));
        assertFalse(Files.exists(out.resolve("model.onnx")), "the killed run got as far as exporting");

        List<String> resumeArgs = new ArrayList<>(fitArgs);
        resumeArgs.add("--resume");
        Path resumeLog = dir.resolve("resume.log");
        Process resumed = start(resumeArgs, resumeLog);
        if (!resumed.waitFor(120, TimeUnit.SECONDS)) {
            resumed.destroyForcibly();
            fail("fit --resume did not finish in 120 s:\n" + Files.readString(resumeLog));
        }
        String log = Files.readString(resumeLog, StandardCharsets.UTF_8);
        assertEquals(0, resumed.exitValue(), log);

        // it read the checkpoint of the last completed epoch and trained only the remaining epochs
        Matcher resuming = RESUMING.matcher(log);
        assertTrue(resuming.find(), log);
        assertEquals(completed, Integer.parseInt(resuming.group(1)), log);
        List<Integer> trainedNow = new ArrayList<>();
        Matcher done = EPOCH_DONE.matcher(log);
        while (done.find()) {
            trainedNow.add(Integer.parseInt(done.group(1)));
        }
        List<Integer> remaining = new ArrayList<>();
        for (int e = completed + 1; e <= EPOCHS; e++) {
            remaining.add(e);
        }
        assertEquals(remaining, trainedNow, log);
        List<JsonNode> after = lines(out.resolve(MetricsLog.FILE_NAME));
        assertEquals(before, after.subList(0, before.size()), "the resumed run appends to metrics.jsonl");
        int firstResumedStep = -1;
        for (JsonNode line : after.subList(before.size(), after.size())) {
            if ("step".equals(line.get("type").asText())) {
                firstResumedStep = line.get("step").asInt();
                break;
            }
        }
        assertEquals(Integer.parseInt(resuming.group(2)) + 1, firstResumedStep,
                "the resumed run continues the global step count");

        List<Integer> allEpochs = new ArrayList<>(epochsBefore);
        allEpochs.addAll(remaining);
        assertEquals(List.of(1, 2, 3), allEpochs);
        assertEquals(allEpochs, epochs(after), "metrics.jsonl holds each epoch exactly once");
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(completed, metrics.get("resumedAfterEpoch").asInt(), metrics.toString());
        assertTrue(Files.readString(out.resolve("report.html"))
                .contains("The run was resumed from its checkpoint after epoch " + completed));
        ModelCard card = ModelPackage.read(out.resolve("model.onnx")).card();
        assertEquals(List.of("a", "b", "c"), card.labels());
        assertFalse(Files.exists(out.resolve(Checkpoint.FILE_NAME + ".tmp")), "a temporary checkpoint is left");
    }

    private static Process start(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Xmx512m",
                "io.edgeloop.trainer.cli.TrainerMain"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Polls {@code metrics.jsonl} until a step line follows the line of a completed epoch, i.e. the next epoch is
     * under way (its checkpoint was written before its epoch line), and returns that next epoch.
     */
    private static int waitUntilAStepAfterACompletedEpoch(Process process, Path metrics, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("trainer fit ended (exit " + process.exitValue() + ") before it could be killed:\n"
                        + Files.readString(log));
            }
            if (Files.exists(metrics)) {
                List<JsonNode> lines = lines(metrics);
                if (!lines.isEmpty()) {
                    JsonNode last = lines.get(lines.size() - 1);
                    if ("step".equals(last.get("type").asText()) && !epochs(lines).isEmpty()) {
                        return last.get("epoch").asInt();
                    }
                }
            }
            Thread.sleep(5);
        }
        fail("no epoch completed within 90 s:\n" + Files.readString(log));
        return -1;
    }

    /** The complete lines of a metrics.jsonl (a line still being written has no newline yet and is skipped). */
    private static List<JsonNode> lines(Path metrics) throws IOException {
        String text = Files.readString(metrics, StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return lines;
        }
        for (String line : text.substring(0, end).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<Integer> epochs(List<JsonNode> lines) {
        List<Integer> epochs = new ArrayList<>();
        for (JsonNode line : lines) {
            if ("epoch".equals(line.get("type").asText())) {
                epochs.add(line.get("epoch").asInt());
            }
        }
        return epochs;
    }
}
