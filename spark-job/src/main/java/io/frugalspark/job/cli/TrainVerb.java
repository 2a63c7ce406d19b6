package io.frugalspark.job.cli;

final class TrainVerb extends NotYetVerb {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "Train a LLaMA model with a FRUGAL-family optimizer by parameter averaging on Spark";
    }

    @Override
    public String usage() {
        return "usage: frugal train [--config FILE] [--set key=value ...]\n\nTrain a LLaMA model with a FRUGAL-family optimizer by parameter averaging on Spark.\n";
    }
}
