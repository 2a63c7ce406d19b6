package io.frugalspark.job.train;

import java.io.PrintStream;

/** The console progress line: step, loss, throughput and ETA. */
final class Progress {
    private final PrintStream out;
    private final long total;
    private final long startStep;
    private final long t0 = System.nanoTime();

    Progress(PrintStream out, long total, long startStep) {
        this.out = out;
        this.total = total;
        this.startStep = startStep;
    }

    void update(long step, long tokens, double trainLoss, double valLoss) {
        double secs = seconds();
        double rate = (step - startStep) / Math.max(1e-9, secs);
        long eta = rate > 0 ? Math.round((total - step) / rate) : -1;
        out.printf("step %d/%d | train loss %.4f | val loss %s | %,.0f tok/s | elapsed %s | ETA %s%n",
                step, total, trainLoss, Double.isNaN(valLoss) ? "-" : String.format("%.4f", valLoss),
                tokens / Math.max(1e-9, secs), clock(Math.round(secs)), eta < 0 ? "?" : clock(eta));
    }

    double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String clock(long s) {
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
