package io.frugalspark.data.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Any Hugging Face tokenizer.json (T5's, LLaMA's, ...) through DJL's binding of the Rust tokenizers
 * (its jar bundles the native library). BOS, EOS and PAD are the file's own tokens when it has them
 * (for example T5's "</s>" and "<pad>"); missing ones get the ids after the vocabulary.
 */
public final class HfTokenizer implements Tokenizer {
    private static final List<String> BOS = List.of("<s>", "<|begin_of_text|>", "<bos>", "<|bos|>");
    private static final List<String> EOS = List.of("</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>", "<|eos|>");
    private static final List<String> PAD = List.of("<pad>", "<|pad|>", "[PAD]");

    private final HuggingFaceTokenizer tokenizer;
    private final String name;
    private final int vocabSize;
    private final int bos;
    private final int eos;
    private final int pad;

    public HfTokenizer(byte[] tokenizerJson, String name) {
        this.name = name;
        Map<String, Integer> ids = tokenIds(tokenizerJson);
        int next = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int[] missing = {next};
        bos = find(ids, BOS, missing);
        eos = find(ids, EOS, missing);
        pad = find(ids, PAD, missing);
        vocabSize = missing[0];
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + name + ": " + e.getMessage(), e);
        }
    }

    private static int find(Map<String, Integer> ids, List<String> candidates, int[] next) {
        for (String c : candidates) {
            if (ids.containsKey(c)) {
                return ids.get(c);
            }
        }
        return next[0]++;
    }

    /** Token string -> id over the model's vocabulary (BPE: object, Unigram: list) and added tokens. */
    private static Map<String, Integer> tokenIds(byte[] json) {
        Map<String, Integer> ids = new HashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            JsonNode vocab = root.path("model").path("vocab");
            if (vocab.isObject()) {
                vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
            } else if (vocab.isArray()) {
                for (int i = 0; i < vocab.size(); i++) {
                    ids.put(vocab.get(i).get(0).asText(), i);
                }
            } else {
                throw new IllegalArgumentException("tokenizer.json has no model.vocab");
            }
            for (JsonNode t : root.path("added_tokens")) {
                ids.put(t.get("content").asText(), t.get("id").asInt());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed tokenizer.json: " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] keep = java.util.Arrays.stream(ids).filter(i -> i != bos && i != eos && i != pad).asLongStream().toArray();
        return tokenizer.decode(keep, true);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
