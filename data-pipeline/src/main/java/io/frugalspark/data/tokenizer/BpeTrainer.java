package io.frugalspark.data.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Trains byte-level BPE merges from pre-token counts (the words the split pattern yields). Each
 * step merges the most frequent adjacent pair, ties broken by the smaller (left, right) ids, so
 * the result depends only on the counts. Pair counts are updated incrementally, touching only the
 * words that contain the merged pair.
 */
public final class BpeTrainer {
    private final int[][] words;
    private final long[] freq;
    private final Map<Long, Long> pairCount = new HashMap<>();
    private final Map<Long, IntList> where = new HashMap<>();
    private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) ->
            a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    private final List<byte[]> ranks = new ArrayList<>();
    private final Map<String, Integer> idOfBytes = new HashMap<>();
    private final int[] seenAt;

    private BpeTrainer(Map<String, Long> wordCounts) {
        List<String> sorted = new ArrayList<>(wordCounts.keySet());
        sorted.sort(null); // word order must not depend on the map's iteration order
        words = new int[sorted.size()][];
        freq = new long[sorted.size()];
        seenAt = new int[sorted.size()];
        Arrays.fill(seenAt, -1);
        for (int i = 0; i < sorted.size(); i++) {
            byte[] b = sorted.get(i).getBytes(StandardCharsets.UTF_8);
            words[i] = new int[b.length];
            for (int k = 0; k < b.length; k++) {
                words[i][k] = b[k] & 0xff;
            }
            freq[i] = wordCounts.get(sorted.get(i));
        }
        for (int b = 0; b < 256; b++) {
            addToken(new byte[] {(byte) b});
        }
    }

    /**
     * @param wordCounts pre-token -> occurrences in the sample
     * @param numRanks   tokens wanted including the 256 single bytes (vocab size minus the 3 specials)
     */
    public static ByteLevelBpe train(Map<String, Long> wordCounts, int numRanks) {
        BpeTrainer t = new BpeTrainer(wordCounts);
        t.countAllPairs();
        t.mergeUntil(numRanks);
        return new ByteLevelBpe(t.ranks);
    }

    private int addToken(byte[] bytes) {
        ranks.add(bytes);
        idOfBytes.put(new String(bytes, StandardCharsets.ISO_8859_1), ranks.size() - 1);
        return ranks.size() - 1;
    }

    private static long key(int a, int b) {
        return (long) a << 32 | (b & 0xffffffffL);
    }

    private void countAllPairs() {
        for (int w = 0; w < words.length; w++) {
            addPairs(w, +1, -1);
        }
        pairCount.forEach((k, c) -> heap.add(new long[] {c, k}));
    }

    /** Adds (sign +1) or removes (-1) word w's pairs; registers w for pairs containing {@code token} (or all when -1). */
    private void addPairs(int w, int sign, int token) {
        int[] s = words[w];
        for (int k = 0; k + 1 < s.length; k++) {
            long p = key(s[k], s[k + 1]);
            pairCount.merge(p, sign * freq[w], Long::sum);
            if (sign > 0 && (token < 0 || s[k] == token || s[k + 1] == token)) {
                where.computeIfAbsent(p, x -> new IntList()).add(w);
            }
        }
    }

    private void mergeUntil(int numRanks) {
        int step = 0;
        while (ranks.size() < numRanks && !heap.isEmpty()) {
            long[] top = heap.poll();
            long current = pairCount.getOrDefault(top[1], 0L);
            if (current != top[0]) {
                if (current > 0) {
                    heap.add(new long[] {current, top[1]});
                }
                continue;
            }
            merge((int) (top[1] >>> 32), (int) top[1], step++);
        }
    }

    private void merge(int a, int b, int step) {
        byte[] ab = concat(ranks.get(a), ranks.get(b));
        Integer existing = idOfBytes.get(new String(ab, StandardCharsets.ISO_8859_1));
        int c = existing != null ? existing : addToken(ab);
        IntList ws = where.remove(key(a, b));
        if (ws == null) {
            return;
        }
        for (int i = 0; i < ws.size; i++) {
            int w = ws.items[i];
            if (seenAt[w] == step) {
                continue;
            }
            seenAt[w] = step;
            int[] merged = replacePair(words[w], a, b, c);
            if (merged != words[w]) {
                addPairs(w, -1, -1);
                words[w] = merged;
                addPairs(w, +1, c);
                pushPairsWith(w, c);
            }
        }
        pairCount.remove(key(a, b));
    }

    private void pushPairsWith(int w, int c) {
        int[] s = words[w];
        for (int k = 0; k + 1 < s.length; k++) {
            if (s[k] == c || s[k + 1] == c) {
                long p = key(s[k], s[k + 1]);
                heap.add(new long[] {pairCount.get(p), p});
            }
        }
    }

    /** Left-to-right, non-overlapping; returns the same array when the pair does not occur. */
    private static int[] replacePair(int[] s, int a, int b, int c) {
        int[] out = null;
        int n = 0;
        for (int k = 0; k < s.length; k++) {
            if (k + 1 < s.length && s[k] == a && s[k + 1] == b) {
                if (out == null) {
                    out = new int[s.length - 1];
                    System.arraycopy(s, 0, out, 0, k);
                    n = k;
                }
                out[n++] = c;
                k++;
            } else if (out != null) {
                out[n++] = s[k];
            }
        }
        return out == null ? s : Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** A growable int array (word indices per pair) without boxing. */
    private static final class IntList {
        int[] items = new int[4];
        int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }
    }
}
