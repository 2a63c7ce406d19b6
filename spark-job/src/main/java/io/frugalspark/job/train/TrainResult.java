package io.frugalspark.job.train;

/**
 * What a finished run reports: its final validation perplexity, throughput and where things were written.
 *
 * @param metrics the metrics directory (any Hadoop FileSystem URI; {@code MetricsLog.read} reads all its parts)
 * @param plot the loss plot's URI, next to the metrics
 */
public record TrainResult(long steps, double initialValLoss, double finalValLoss, double finalTrainLoss,
                          long tokens, double seconds, long optimizerStateBytes, String metrics, String plot) {
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
