package io.frugalspark.cuda;

/**
 * The batch's positions grouped by token, ascending within each group: what embedding_backward needs to
 * give each table row to one block and add its gradients in a fixed order (no float atomics). Built on
 * the host by a counting sort while the batch is staged for upload, O(tokens + distinct).
 */
public record EmbeddingBuckets(int[] tokens, int[] starts, int[] positions) {

    /** tokens: bucket b's token id; starts: bucket b spans positions[starts[b] .. starts[b+1]). */
    public static EmbeddingBuckets of(int[] batchTokens, int vocab) {
        int[] count = new int[vocab];
        for (int t : batchTokens) {
            if (t < 0 || t >= vocab) throw new IllegalArgumentException("token " + t + " outside the vocabulary of " + vocab);
            count[t]++;
        }
        int distinct = 0;
        for (int c : count) if (c > 0) distinct++;
        int[] tokens = new int[distinct], starts = new int[distinct + 1], next = new int[vocab];
        int b = 0, at = 0;
        for (int v = 0; v < vocab; v++) {
            if (count[v] == 0) continue;
            tokens[b] = v;
            starts[b++] = at;
            next[v] = at;
            at += count[v];
        }
        starts[distinct] = at;
        int[] positions = new int[batchTokens.length];
        for (int i = 0; i < batchTokens.length; i++) positions[next[batchTokens[i]]++] = i;
        return new EmbeddingBuckets(tokens, starts, positions);
    }

    public int distinct() {
        return tokens.length;
    }
}
