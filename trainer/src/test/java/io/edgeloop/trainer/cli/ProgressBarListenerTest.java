package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarListenerTest {

    @Test
    void theWholeRunIsOneBarThatFitsAnEightyColumnTerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener bar = new ProgressBarListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
        for (int epoch = 1; epoch <= 3; epoch++) {
            bar.epochStarted(epoch, 3, 40, 1280);
            for (int step = 1; step <= 40; step++) {
                bar.stepFinished(epoch, step, step * 32, 1.5923, 0.8125, 1234.5);
            }
        }
        bar.close();
        String rendered = bytes.toString(StandardCharsets.UTF_8);
        String last = "";
        for (String line : rendered.split("[\r\n]")) {
            assertTrue(line.length() <= 80, "longer than 80 columns (" + line.length() + "): " + line);
            if (!line.isBlank()) {
                last = line;
            }
        }
        assertTrue(last.startsWith("ep 3/3 100% ["), last);
        assertTrue(last.contains("] 120/120 ("), "counts all 3 x 40 steps of the run: " + last);
        assertTrue(last.endsWith(" loss 1.592 acc 0.81 1235 img/s"), last);
        assertTrue(rendered.contains("ep 1/3  33% ["), "the first epoch's line stays: " + rendered);
    }
}
