package io.frugalspark.job.cli;

final class ExportVerb extends NotYetVerb {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "Export a checkpoint as a Hugging Face folder (safetensors, config.json, tokenizer)";
    }

    @Override
    public String usage() {
        return "usage: frugal export [--config FILE] [--set key=value ...]\n\nExport a checkpoint as a Hugging Face folder (safetensors, config.json, tokenizer).\n";
    }
}
