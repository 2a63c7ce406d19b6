package io.frugalspark.job.cli;

final class TokenizeVerb extends NotYetVerb {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "Tokenize and shard a corpus (C4 json.gz, VietVault parquet/jsonl) onto any Hadoop FileSystem";
    }

    @Override
    public String usage() {
        return "usage: frugal tokenize [--config FILE] [--set key=value ...]\n\nTokenize and shard a corpus (C4 json.gz, VietVault parquet/jsonl) onto any Hadoop FileSystem.\n";
    }
}
