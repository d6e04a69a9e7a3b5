package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownloadProgressBarTest {

    @Test
    void aResumedDownloadIsOneBarInMegabytesWithinSeventyNineColumns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DownloadProgressBar bar = new DownloadProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "efficientnet-lite4-11-long-name");
        long total = 178_914_041;
        bar.started(total, 60_000_000);
        for (long b = 60_000_000; b < total; b += 1 << 20) {
            bar.progressed(b);
        }
        bar.progressed(total);
        bar.ended();
        String rendered = bytes.toString(StandardCharsets.UTF_8);
        String last = "";
        for (String line : rendered.split("[\r\n]")) {
            assertTrue(line.length() <= 79, "longer than 79 columns (" + line.length() + "): " + line);
            if (!line.isBlank()) {
                last = line;
            }
        }
        assertTrue(last.startsWith("efficientnet-lite4-1 100% ["), last);
        assertTrue(last.contains("] 178/178 MB ("), last);
    }
}
