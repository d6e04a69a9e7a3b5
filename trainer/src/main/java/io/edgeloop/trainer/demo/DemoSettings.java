package io.edgeloop.trainer.demo;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.trainer.train.TrainingDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link ClosedLoopDemo} runs with, validated on construction; messages name the {@code trainer demo} option.
 *
 * @param out              output folder (created; a previous demo's folder is cleared, nothing else)
 * @param base             the pretrained base model package
 * @param sample           the target-task sample, with {@code train/} and {@code test/} ImageFolder trees
 * @param agentJar         the edge agent's runnable jar
 * @param labelledPerClass images per class labelled up front; the rest of {@code train/} is the camera's stream
 * @param epochs           epochs per fine-tune
 * @param learningRate     head learning rate
 * @param fps              frames per second the camera replays
 * @param seed             seed of every fine-tune
 * @param keepRunning      leave the broker, agent and labelling app running at the end
 * @param devices          where the fine-tunes train
 */
public record DemoSettings(Path out, Path base, Path sample, Path agentJar, int labelledPerClass, int epochs,
                           double learningRate, int fps, long seed, boolean keepRunning, TrainingDevices devices) {

    public DemoSettings {
        Objects.requireNonNull(out, "--out");
        Objects.requireNonNull(devices, "devices");
        if (!Files.isRegularFile(base)) {
            throw new IllegalArgumentException("base model " + base + " not found (run from the repository root, or"
                    + " pass --base)");
        }
        if (!Files.isDirectory(sample.resolve("train")) || !Files.isDirectory(sample.resolve("test"))) {
            throw new IllegalArgumentException("sample " + sample + " must hold train/ and test/ ImageFolder trees"
                    + " (pass --sample)");
        }
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("edge agent jar " + agentJar + " not found; build it with './mvnw -q"
                    + " -DskipTests package' or pass --agent-jar");
        }
        if (labelledPerClass < 1) {
            throw new IllegalArgumentException("--labelled-per-class is " + labelledPerClass + ", allowed >= 1");
        }
        Checks.range("--epochs", epochs, 1, 1000);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("--lr is " + learningRate + ", allowed 0 < lr <= 10");
        }
        Checks.range("--fps", fps, 1, 1000);
    }
}
