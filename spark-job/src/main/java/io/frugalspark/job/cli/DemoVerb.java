package io.frugalspark.job.cli;

final class DemoVerb extends NotYetVerb {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Tokenize the shipped corpus, train a small model with FRUGAL on local Spark, evaluate and plot";
    }

    @Override
    public String usage() {
        return "usage: frugal demo [--config FILE] [--set key=value ...]\n\nTokenize the shipped corpus, train a small model with FRUGAL on local Spark, evaluate and plot.\n";
    }
}
