package io.edgeloop.trainer.job;

import io.edgeloop.trainer.fleet.DriftAnalysis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link FleetReportJob}.
 *
 * @param telemetry      the folder read
 * @param reference      what the cameras were compared with, in words
 * @param since          the start of the report; empty for all lines
 * @param window         window length
 * @param analysis       cameras, windows, flags; lines of models without a reference
 * @param skippedLines   lines that could not be read
 * @param skippedReasons the first few of those, {@code file:line: reason}
 * @param notes          what a reader should know about the references (an uncalibrated confidence reference, a
 *                       registered version without a training distribution)
 */
public record FleetReport(Path telemetry, String reference, Optional<Instant> since, Duration window,
                          DriftAnalysis.Result analysis, int skippedLines, List<String> skippedReasons,
                          List<String> notes) {

    public FleetReport {
        skippedReasons = List.copyOf(skippedReasons);
        notes = List.copyOf(notes);
    }
}
