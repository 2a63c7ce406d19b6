package io.frugalspark.data.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A byte-level BPE vocabulary: ranked byte strings (rank = id), then BOS, EOS, PAD. Saved as a tiktoken rank file and as a Hugging Face tokenizer.json that
 * gives the same ids; encoded with jtokkit.
 */
public final class ByteLevelBpe {
    /** GPT-4's split pattern; UNICODE_CHARACTER_CLASS makes \s Unicode-aware like the Rust regex engine. */
    public static final String PATTERN_SOURCE =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final Pattern PATTERN = Pattern.compile(PATTERN_SOURCE, Pattern.UNICODE_CHARACTER_CLASS);
    public static final String BOS = "<|bos|>";
    public static final String EOS = "<|eos|>";
    public static final String PAD = "<|pad|>";

    private final List<byte[]> ranks;

    /**
     * @param ranks byte strings by rank (rank = id); every single byte must be one of them (the
     *              pipeline's own BPE puts them first, in byte order; tiktoken files need not)
     */
    public ByteLevelBpe(List<byte[]> ranks) {
        boolean[] single = new boolean[256];
        int singles = 0;
        for (byte[] t : ranks) {
            if (t.length == 1 && !single[t[0] & 0xff]) {
                single[t[0] & 0xff] = true;
                singles++;
            }
        }
        if (singles != 256) {
            throw new IllegalArgumentException("a byte-level BPE needs all 256 single bytes as tokens, found " + singles);
        }
        this.ranks = List.copyOf(ranks);
    }

    public int numRanks() {
        return ranks.size();
    }

    public int vocabSize() {
        return ranks.size() + 3;
    }

    public int bosId() {
        return ranks.size();
    }

    public int eosId() {
        return ranks.size() + 1;
    }

    public int padId() {
        return ranks.size() + 2;
    }

    public byte[] token(int rank) {
        return ranks.get(rank).clone();
    }

    /** A jtokkit encoding of these ranks (a fresh registry: no global state). */
    public Encoding encoding(String name) {
        Map<byte[], Integer> encoder = new HashMap<>();
        for (int r = 0; r < ranks.size(); r++) {
            encoder.put(ranks.get(r), r);
        }
        Map<String, Integer> specials = Map.of(BOS, bosId(), EOS, eosId(), PAD, padId());
        return Encodings.newLazyEncodingRegistry()
                .registerGptBytePairEncoding(new GptBytePairEncodingParams(name, PATTERN, encoder, specials))
                .getEncoding(name).orElseThrow();
    }

    /** tiktoken's format: one "base64(bytes) rank" line per token. Specials are implied (the next three ids). */
    public String toTiktoken() {
        StringBuilder sb = new StringBuilder(ranks.size() * 12);
        Base64.Encoder b64 = Base64.getEncoder();
        for (int r = 0; r < ranks.size(); r++) {
            sb.append(b64.encodeToString(ranks.get(r))).append(' ').append(r).append('\n');
        }
        return sb.toString();
    }

    public static ByteLevelBpe fromTiktoken(String text) {
        List<byte[]> ranks = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                if (sp <= 0 || Integer.parseInt(line.substring(sp + 1).trim()) != ranks.size()) {
                    throw new IllegalArgumentException("rank file line " + lineNo + ": expected 'base64 " + ranks.size() + "'");
                }
                ranks.add(Base64.getDecoder().decode(line.substring(0, sp)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteLevelBpe(ranks);
    }

    /**
     * A Hugging Face tokenizer.json with the same ids as the jtokkit encoding: the same split regex,
     * GPT-2 byte-to-unicode symbols, ignore_merges (whole pieces in the vocabulary win, as in
     * tiktoken), and for every token each split into two lower-or-any-ranked tokens as a merge, in
     * rank order, so the Rust BPE merges exactly where tiktoken's rank-based merging does.
     */
    public String toHuggingFaceJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, bosId(), BOS);
        addSpecial(added, eosId(), EOS);
        addSpecial(added, padId(), PAD);
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", PATTERN_SOURCE);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
        root.set("model", hfModel(f));
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }

    private ObjectNode hfModel(JsonNodeFactory f) {
        ObjectNode model = f.objectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", true);
        ObjectNode vocab = model.putObject("vocab");
        Map<String, Integer> byBytes = new HashMap<>();
        for (int r = 0; r < ranks.size(); r++) {
            vocab.put(ByteSymbols.toSymbols(ranks.get(r)), r);
            byBytes.put(new String(ranks.get(r), StandardCharsets.ISO_8859_1), r);
        }
        ArrayNode merges = model.putArray("merges");
        for (byte[] t : ranks) {
            for (int k = 1; k < t.length; k++) {
                String left = new String(t, 0, k, StandardCharsets.ISO_8859_1);
                String right = new String(t, k, t.length - k, StandardCharsets.ISO_8859_1);
                if (byBytes.containsKey(left) && byBytes.containsKey(right)) {
                    // "left right": byte-level symbols never contain a space (0x20 maps to 'Ġ')
                    merges.add(ByteSymbols.toSymbols(left.getBytes(StandardCharsets.ISO_8859_1)) + " "
                            + ByteSymbols.toSymbols(right.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return model;
    }
}
