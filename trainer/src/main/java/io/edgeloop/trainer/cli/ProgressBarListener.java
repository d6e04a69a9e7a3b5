package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.FitListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per epoch on stderr (loss, accuracy, images/s, ETA); used only when stderr is interactive, so
 * logs and CI output stay clean.
 */
final class ProgressBarListener implements FitListener {

    private final PrintStream stream;
    private ProgressBar bar;

    ProgressBarListener(PrintStream stream) {
        this.stream = stream;
    }

    /** True when a person is watching (a console is attached and the terminal is not "dumb"). */
    static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps, int images) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setUnit(" steps", 1)
                .build();
    }

    @Override
    public void stepFinished(int epoch, int step, int imagesSoFar, double loss, double accuracy,
                             double imagesPerSecond) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.3f %.0f img/s", loss, accuracy,
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
