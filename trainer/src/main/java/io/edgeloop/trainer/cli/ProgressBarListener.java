package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.FitListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar for the whole run on stderr: the steps of the run so far, the epoch, the running loss, accuracy
 * and images/s, and the ETA of the remaining epochs (an early stop ends the run sooner). Rendered at most
 * {@link #MAX_WIDTH} columns wide so an 80-column terminal never wraps it; used only when stderr is interactive, so
 * logs and CI output stay clean.
 */
final class ProgressBarListener implements FitListener {

    /** Columns the bar may take: one less than a standard terminal, so the cursor never wraps. */
    static final int MAX_WIDTH = 79;

    private final PrintStream stream;
    private final int width;
    private ProgressBar bar;
    private long stepsBefore;
    private long stepsDone;
    private long runMax;
    private long started;

    ProgressBarListener(PrintStream stream) {
        this(stream, Terminal.width());
    }

    ProgressBarListener(PrintStream stream, int width) {
        this.stream = stream;
        this.width = Math.min(MAX_WIDTH, Math.max(40, width));
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps, int images) {
        if (bar == null) {
            // the first epoch of this process (a resumed run starts later): the run is the epochs still to run
            runMax = (long) steps * (epochs - epoch + 1);
            started = System.nanoTime();
        }
        close();
        // a bar per epoch that continues the run's count and clock: the ETA is the whole run's, and each finished
        // epoch stays on screen as one line
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "ep %d/%d", epoch, epochs))
                .setInitialMax(runMax)
                .startsFrom(stepsDone, Duration.ofNanos(System.nanoTime() - started))
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(stream, width))
                .setMaxRenderedLength(width)
                .setUpdateIntervalMillis(250)
                .build();
        stepsBefore = stepsDone;
    }

    @Override
    public void stepFinished(int epoch, int step, int imagesSoFar, double loss, double accuracy,
                             double imagesPerSecond) {
        if (bar != null) {
            stepsDone = stepsBefore + step;
            bar.stepTo(stepsDone);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f acc %.2f %.0f img/s", loss, accuracy,
                    imagesPerSecond));
        }
    }

    @Override
    public void epochFinished(EpochMetrics metrics) {
        close();
    }

    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
