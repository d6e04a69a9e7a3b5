package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogListenerTest {

    static StepMetrics step(int epoch, int step, long globalStep) {
        return new StepMetrics(epoch, step, globalStep, 8 * step, 0.5, 0.75, 100, 0.001);
    }

    @Test
    void writesAStepLineEveryNGlobalStepsAndAnEpochLinePerEpoch(@TempDir Path out) throws Exception {
        StubRun run = new StubRun();
        try (MetricsLogListener listener = new MetricsLogListener(out, false, 2)) {
            listener.onTrainingBegin(run);
            for (int step = 1; step <= 3; step++) {
                listener.onStep(run, step(1, step, step));
            }
            listener.onEpochEnd(run, run.endEpoch(Optional.empty()), Optional.empty());
        }
        assertEquals(List.of(
                "{\"type\":\"step\",\"epoch\":1,\"step\":2,\"loss\":0.5,\"accuracy\":0.75,\"learningRate\":0.001}",
                "{\"type\":\"epoch\",\"epoch\":1,\"trainLoss\":1.0,\"trainAccuracy\":0.5,\"valLoss\":null,"
                        + "\"valAccuracy\":null,\"learningRate\":0.001,\"seconds\":0.1,\"imagesPerSecond\":100.0,"
                        + "\"featureCache\":false,\"improved\":true}"),
                Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)));
    }

    @Test
    void aResumedRunAppendsAndAFreshOneStartsAnew(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve(MetricsLog.FILE_NAME), "{\"type\":\"epoch\",\"epoch\":1}\n");
        try (MetricsLogListener listener = new MetricsLogListener(out, true, 1)) {
            listener.onTrainingBegin(new StubRun());
            listener.onStep(new StubRun(), step(2, 1, 4));
        }
        assertEquals(2, Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)).size());
        try (MetricsLogListener listener = new MetricsLogListener(out, false, 1)) {
            listener.onTrainingBegin(new StubRun());
        }
        assertEquals(List.of(), Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)));
    }

    @Test
    void aClosedLogIsNotWrittenTo(@TempDir Path out) throws Exception {
        MetricsLogListener listener = new MetricsLogListener(out, false, 1);
        listener.onTrainingBegin(new StubRun());
        listener.close();
        listener.close(); // closing twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> listener.onStep(new StubRun(), step(1, 1, 1)));
        assertEquals("metrics.jsonl in " + out + " is not open: onTrainingBegin opens it", e.getMessage());
    }
}
