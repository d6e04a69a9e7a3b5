package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.base.DownloadListener;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A download's progress bar on stderr in megabytes with speed and ETA, at most {@link ProgressBarListener#MAX_WIDTH}
 * columns; a resumed download starts where the partial file ended. Used only when stderr is interactive.
 */
final class DownloadProgressBar implements DownloadListener {

    private final PrintStream stream;
    private final String task;
    private ProgressBar bar;

    DownloadProgressBar(PrintStream stream, String task) {
        this.stream = stream;
        this.task = task.length() > 20 ? task.substring(0, 20) : task;
    }

    @Override
    public void started(long total, long from) {
        ended();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(from, Duration.ZERO)
                .setUnit(" MB", 1_000_000).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(stream, ProgressBarListener.MAX_WIDTH))
                .setMaxRenderedLength(ProgressBarListener.MAX_WIDTH).setUpdateIntervalMillis(250).build();
    }

    @Override
    public void progressed(long bytes) {
        if (bar != null) {
            bar.stepTo(bytes);
        }
    }

    @Override
    public void ended() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
