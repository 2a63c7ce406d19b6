package io.frugalspark.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.Manifest;
import io.frugalspark.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.nd4j.linalg.api.buffer.DataType;

/** A Hugging Face LlamaForCausalLM folder from the trainer's current weights. */
public final class HfExport {
    private HfExport() {}

    public static Path write(ParameterAveragingTrainer trainer, String dest) throws IOException {
        Path out = Path.of(dest).toAbsolutePath();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-export");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        RunSpec spec = trainer.spec();
        trainer.driverReplica().model().saveSafetensors(tmp.resolve("model.safetensors"), DataType.FLOAT);
        Manifest m = Manifest.read(spec.settings().tokensDir());
        new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(tmp.resolve("config.json").toFile(), hfConfig(spec.modelConfig(), m));
        copyTokenizer(spec.settings().tokensDir(), m, tmp);
        deleteTree(out);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    static Map<String, Object> hfConfig(LlamaConfig c, Manifest m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("architectures", new String[] {"LlamaForCausalLM"});
        j.put("model_type", "llama");
        j.put("hidden_size", c.hidden);
        j.put("intermediate_size", c.intermediate);
        j.put("num_attention_heads", c.heads);
        j.put("num_key_value_heads", c.heads);
        j.put("num_hidden_layers", c.layers);
        j.put("vocab_size", c.vocabSize);
        j.put("max_position_embeddings", c.maxSeqLen);
        j.put("rms_norm_eps", c.rmsEps);
        j.put("rope_theta", c.ropeBase);
        j.put("hidden_act", "silu");
        j.put("tie_word_embeddings", false);
        j.put("attention_bias", false);
        j.put("mlp_bias", false);
        j.put("initializer_range", 0.02);
        j.put("bos_token_id", m.bosId());
        j.put("eos_token_id", m.eosId());
        j.put("pad_token_id", m.padId());
        j.put("torch_dtype", "float32");
        return j;
    }

    private static void copyTokenizer(String tokensDir, Manifest m, Path dest) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tokensDir);
        FileSystem fs = root.getFileSystem(new org.apache.hadoop.conf.Configuration());
        for (String f : m.tokenizer().files()) {
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root, f), new org.apache.hadoop.fs.Path(dest.resolve(Path.of(f).getFileName()).toUri()));
        }
        try (Stream<Path> crc = Files.list(dest)) {
            for (Path p : crc.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
