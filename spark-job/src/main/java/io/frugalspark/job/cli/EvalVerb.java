package io.frugalspark.job.cli;

final class EvalVerb extends NotYetVerb {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "Evaluate a checkpoint's validation perplexity";
    }

    @Override
    public String usage() {
        return "usage: frugal eval [--config FILE] [--set key=value ...]\n\nEvaluate a checkpoint's validation perplexity.\n";
    }
}
