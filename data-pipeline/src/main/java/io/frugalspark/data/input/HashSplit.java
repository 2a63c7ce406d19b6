package io.frugalspark.data.input;

import io.frugalspark.data.Manifest;

/**
 * The split of a document: its file's fixed split, else validation for a deterministic
 * {@code fraction} of documents by a seeded 64-bit hash of the text (same on every JVM).
 */
public final class HashSplit {
    private HashSplit() {}

    public static String of(InputFile file, String text, double fraction, long seed) {
        if (file.fixedSplit() != null) {
            return file.fixedSplit();
        }
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        double u = (h >>> 11) * 0x1.0p-53;
        return u < fraction ? Manifest.VALIDATION : Manifest.TRAIN;
    }

    /** UTF-8 length without encoding: what "bytes of raw text" means in counts and benchmarks. */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
