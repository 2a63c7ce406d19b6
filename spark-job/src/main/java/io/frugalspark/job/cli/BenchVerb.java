package io.frugalspark.job.cli;

final class BenchVerb extends NotYetVerb {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Benchmarks: optimizer step, model forward/backward, tokenizer throughput";
    }

    @Override
    public String usage() {
        return "usage: frugal bench [--config FILE] [--set key=value ...]\n\nBenchmarks: optimizer step, model forward/backward, tokenizer throughput.\n";
    }
}
