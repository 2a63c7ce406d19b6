package io.frugalspark.job.cli;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.train.HfExport;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import java.io.PrintStream;
import java.util.Set;

final class ExportVerb implements Verb {
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
        return """
                usage: frugal export [--config FILE] [--set key=value ...] [--checkpoint latest|DIR] --out DIR

                Writes a Hugging Face LlamaForCausalLM folder: model.safetensors (HF tensor names, float32,
                SLTrain layers densified), config.json, and the tokenizer files of `data.output`. The folder
                is written under a temporary name and renamed, so a half-written export never looks complete;
                an existing folder is replaced.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("checkpoint", "out");
    }

    @Override
    public int run(CliArgs args, PrintStream out) throws Exception {
        FrugalConfig config = args.config();
        String dest = args.option("out", null);
        if (dest == null) {
            System.err.println("frugal export: --out DIR is required");
            return 2;
        }
        ParameterAveragingTrainer t = new ParameterAveragingTrainer(SparkContexts.getOrCreate("frugal-export"), config, out);
        if (!t.restoreFrom(args.option("checkpoint", "latest"))) {
            System.err.println("frugal export: no committed checkpoint under " + config.getPath("checkpoint.dir"));
            return 1;
        }
        out.println("exported to " + HfExport.write(t, dest));
        return 0;
    }
}
