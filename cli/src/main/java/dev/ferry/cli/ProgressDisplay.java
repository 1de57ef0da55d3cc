package dev.ferry.cli;

import dev.ferry.common.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long work: MiB done, rate and time left. Only on a terminal and never with
 * {@code --json}; elsewhere it draws nothing, so scripts and logs see the same output as before.
 */
public final class ProgressDisplay implements Progress, AutoCloseable {
    private static final long MIB = 1024 * 1024;
    private final String task;
    private final boolean wanted;
    private ProgressBar bar;

    private ProgressDisplay(String task, boolean wanted) {
        this.task = task;
        this.wanted = wanted;
    }

    /** @param wanted false for {@code --json} and other machine output */
    public static ProgressDisplay of(String task, boolean wanted) {
        return new ProgressDisplay(task, wanted && Terminal.interactive());
    }

    @Override
    public synchronized void total(long bytes) {
        // Small jobs finish before a bar would be read: no bar below 16 MiB.
        if (wanted && bar == null && bytes >= 16 * MIB) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(bytes)
                    .setUnit(" MiB", MIB)
                    .showSpeed()
                    .setStyle(Terminal.colour() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(250)
                    .build();
        }
    }

    @Override
    public void advance(long bytes) {
        ProgressBar current = bar;
        if (current != null) {
            current.stepBy(bytes);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
