package io.frugalspark.data.shard;

/**
 * The perplexity a model that ignores context would reach: token frequencies from the train
 * shards with add-one smoothing over the whole vocabulary, evaluated on the validation targets
 * (positions 1..L-1 of every sequence, PAD targets ignored). A trained model must beat it.
 */
public final class UnigramBaseline {
    private UnigramBaseline() {}

    public static double perplexity(TokenShards train, TokenShards validation) {
        int vocab = train.manifest().vocabSize();
        int pad = train.manifest().padId();
        long[] counts = new long[vocab];
        long total = 0;
        int[] seq = new int[train.seqLen()];
        for (long i = 0; i < train.numSequences(); i++) {
            train.read(i, seq);
            for (int t : seq) {
                if (t != pad) {
                    counts[t]++;
                    total++;
                }
            }
        }
        double denom = Math.log(total + (double) vocab);
        double nll = 0;
        long n = 0;
        for (long i = 0; i < validation.numSequences(); i++) {
            validation.read(i, seq);
            for (int k = 1; k < seq.length; k++) {
                if (seq[k] != pad) {
                    nll += denom - Math.log(counts[seq[k]] + 1.0);
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("validation split has no targets");
        }
        return Math.exp(nll / n);
    }

    /** Convenience over a complete output directory. */
    public static double perplexity(String outputUri) {
        try (TokenShards train = TokenShards.open(outputUri, "train");
             TokenShards validation = TokenShards.open(outputUri, "validation")) {
            return perplexity(train, validation);
        }
    }
}
