package io.frugalspark.data.tokenizer;

import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * GPT-4's split ({@link ByteLevelBpe#PATTERN}) written out as a scanner: the same pieces as the regex
 * (Java's, with UNICODE_CHARACTER_CLASS), several times faster, since a text's pieces are found
 * in one forward pass per piece, without a Matcher's backtracking over the alternatives. The regex's alternatives, tried in
 * order at each position:
 * <ol>
 *   <li>{@code (?i:'s|'t|'re|'ve|'m|'ll|'d)}: a contraction (Unicode case-insensitive, so 'ſ' is an 's');</li>
 *   <li>{@code [^\r\n\p{L}\p{N}]?\p{L}+}: letters, with one leading non-letter, non-number (not CR/LF);</li>
 *   <li>{@code \p{N}{1,3}}: up to three numbers;</li>
 *   <li>{@code  ?[^\s\p{L}\p{N}]+[\r\n]*}: symbols, with one leading space and trailing CR/LFs;</li>
 *   <li>{@code \s*[\r\n]+}: whitespace up to its last CR or LF;</li>
 *   <li>{@code \s+(?!\S)}: whitespace but the last one before a non-space (or all of it at the end);</li>
 *   <li>{@code \s+}: whitespace.</li>
 * </ol>
 * Every code point is a letter, a number, whitespace or a symbol, so the pieces tile the text.
 */
public final class Gpt4PreTokenizer {
    private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

    private Gpt4PreTokenizer() {
    }

    /** Hands each piece of {@code text} to {@code each}, in order. */
    public static void forEachPiece(String text, Consumer<String> each) {
        for (int at = 0; at < text.length(); ) {
            int end = pieceEnd(text, at);
            each.accept(text.substring(at, end));
            at = end;
        }
    }

    /** The end (exclusive) of the piece that starts at {@code from} ({@code from < text.length()}). */
    public static int pieceEnd(String text, int from) {
        int n = text.length();
        int c = text.codePointAt(from);
        int next = from + Character.charCount(c);
        if (c == '\'') {
            int end = contraction(text, next);
            if (end > 0) {
                return end;
            }
        }
        if (isLetter(c)) {
            return run(text, next, Gpt4PreTokenizer::isLetter, Integer.MAX_VALUE);
        }
        if (c != '\r' && c != '\n' && !isNumber(c) && next < n && isLetter(text.codePointAt(next))) {
            return run(text, next, Gpt4PreTokenizer::isLetter, Integer.MAX_VALUE);
        }
        if (isNumber(c)) {
            return run(text, from, Gpt4PreTokenizer::isNumber, 3);
        }
        if (c == ' ' && next < n && isSymbol(text.codePointAt(next))) {
            return symbols(text, next);
        }
        if (isSymbol(c)) {
            return symbols(text, from);
        }
        return whitespace(text, from);
    }

    /** The end of the contraction after an apostrophe at {@code at - 1}, or -1. */
    private static int contraction(String text, int at) {
        for (String tail : CONTRACTIONS) {
            int end = at;
            boolean match = true;
            for (int k = 0; k < tail.length() && match; k++) {
                match = end < text.length() && foldsTo(text.codePointAt(end), tail.charAt(k));
                end += match ? Character.charCount(text.codePointAt(end)) : 0;
            }
            if (match) {
                return end;
            }
        }
        return -1;
    }

    /** Whether {@code c} matches the lower-case letter {@code lower} case-insensitively, as java.util.regex's UNICODE_CASE does. */
    private static boolean foldsTo(int c, char lower) {
        return c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower;
    }

    /** The end of the run of at most {@code max} code points in class {@code in} that starts at {@code from}. */
    private static int run(String text, int from, IntPredicate in, int max) {
        int end = from;
        for (int k = 0; k < max && end < text.length(); k++) {
            int c = text.codePointAt(end);
            if (!in.test(c)) {
                break;
            }
            end += Character.charCount(c);
        }
        return end;
    }

    /** Symbols from {@code from} (the first one is a symbol), then any CR and LF. */
    private static int symbols(String text, int from) {
        int end = run(text, from, Gpt4PreTokenizer::isSymbol, Integer.MAX_VALUE);
        while (end < text.length() && (text.charAt(end) == '\r' || text.charAt(end) == '\n')) {
            end++;
        }
        return end;
    }

    /** Alternatives 5 to 7 on the whitespace run that starts at {@code from}. */
    private static int whitespace(String text, int from) {
        int end = from;
        int lastBreak = -1;
        while (end < text.length()) {
            int c = text.codePointAt(end);
            if (!isWhitespace(c)) {
                break;
            }
            if (c == '\r' || c == '\n') {
                lastBreak = end;
            }
            end += Character.charCount(c);
        }
        if (lastBreak >= 0) {
            return lastBreak + 1;
        }
        if (end == text.length()) {
            return end;
        }
        int beforeLast = text.offsetByCodePoints(end, -1);
        return beforeLast > from ? beforeLast : end;
    }

    /** {@code \p{L}}. */
    static boolean isLetter(int c) {
        if (c < 0x80) {
            int lower = c | 0x20; // ASCII letters differ from their lower case in bit 5 only
            return lower >= 'a' && lower <= 'z';
        }
        return Character.isLetter(c);
    }

    /** {@code \p{N}}: decimal digits, letter numbers and other numbers. */
    static boolean isNumber(int c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        int t = Character.getType(c);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** {@code \s} under UNICODE_CHARACTER_CLASS: the White_Space property, as java.util.regex defines it. */
    static boolean isWhitespace(int c) {
        if (c < 0x80) {
            return c == ' ' || (c >= 0x9 && c <= 0xd);
        }
        int t = Character.getType(c);
        return c == 0x85 || t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }

    /** Neither whitespace, a letter nor a number. */
    static boolean isSymbol(int c) {
        return !isWhitespace(c) && !isLetter(c) && !isNumber(c);
    }
}
