package io.frugalspark.data.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A jtokkit byte-level encoding: the pipeline's trained BPE or a built-in one. BOS, EOS and PAD
 * are the three ids after the encoding's own (its own specials are never produced: encodeOrdinary).
 */
public final class JtokkitTokenizer implements Tokenizer {
    /** First id after each built-in encoding's ranks and specials. */
    private static final Map<String, Integer> BUILT_IN_SIZES = Map.of(
            "r50k_base", 50257, "p50k_base", 50281, "p50k_edit", 50284, "cl100k_base", 100277, "o200k_base", 200019);

    /** Pieces cached per tokenizer: words repeat (Zipf), so most pieces skip the merge loop. */
    private static final int CACHE_LIMIT = 1 << 18;

    private final Encoding encoding;
    private final String name;
    private final int base;
    /** Whether pieces are split here and cached (our BPE, split as GPT-4); false encodes whole texts (built-ins use their own split). */
    private final boolean pieces;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    JtokkitTokenizer(Encoding encoding, String name, int base, boolean pieces) {
        this.encoding = encoding;
        this.name = name;
        this.base = base;
        this.pieces = pieces;
    }

    public static boolean isBuiltIn(String name) {
        return BUILT_IN_SIZES.containsKey(name);
    }

    public static JtokkitTokenizer builtIn(String name) {
        Integer base = BUILT_IN_SIZES.get(name);
        if (base == null) {
            throw new IllegalArgumentException("unknown jtokkit encoding '" + name + "' (" + BUILT_IN_SIZES.keySet() + ")");
        }
        return new JtokkitTokenizer(Encodings.newLazyEncodingRegistry().getEncoding(name).orElseThrow(), name, base, false);
    }

    public static JtokkitTokenizer of(ByteLevelBpe bpe, String name) {
        return new JtokkitTokenizer(bpe.encoding(name), name, bpe.numRanks(), true);
    }

    @Override
    public int[] encode(String text) {
        if (!pieces) {
            return encoding.encodeOrdinary(text).toArray();
        }
        // Same result as encoding the whole text: the scanner splits as jtokkit's regex does, and jtokkit encodes pieces independently.
        IntArrayList out = new IntArrayList(text.length() / 3 + 1);
        Gpt4PreTokenizer.forEachPiece(text, p -> {
            for (int id : piece(p)) {
                out.add(id);
            }
        });
        return out.toArray();
    }

    private int[] piece(String piece) {
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = encoding.encodeOrdinary(piece).toArray();
            if (cache.size() < CACHE_LIMIT) {
                cache.put(piece, ids);
            }
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        IntArrayList keep = new IntArrayList(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= base + 3) {
                throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + vocabSize());
            }
            if (id < base) {
                keep.add(id);
            }
        }
        return new String(encoding.decodeBytes(keep), StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return base + 3;
    }

    @Override
    public int bosId() {
        return base;
    }

    @Override
    public int eosId() {
        return base + 1;
    }

    @Override
    public int padId() {
        return base + 2;
    }

    @Override
    public String name() {
        return name;
    }
}
