package io.frugalspark.job.cli;

final class ConformanceVerb extends NotYetVerb {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "Replay recorded reference optimizer runs (frugal-vectors.json format)";
    }

    @Override
    public String usage() {
        return "usage: frugal conformance [--config FILE] [--set key=value ...]\n\nReplay recorded reference optimizer runs (frugal-vectors.json format).\n";
    }
}
