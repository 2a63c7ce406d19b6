package io.frugalspark.job.train;

import java.nio.file.Path;

/** What a finished run reports: its final validation perplexity, throughput and where things were written. */
public record TrainResult(long steps, double initialValLoss, double finalValLoss, double finalTrainLoss,
                          long tokens, double seconds, long optimizerStateBytes, Path metricsFile, Path plot) {
    public double initialPerplexity() {
        return Math.exp(initialValLoss);
    }

    public double finalPerplexity() {
        return Math.exp(finalValLoss);
    }

    public double tokensPerSecond() {
        return tokens / Math.max(1e-9, seconds);
    }
}
