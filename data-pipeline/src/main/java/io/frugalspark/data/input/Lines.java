package io.frugalspark.data.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a byte stream, split at '\n' (which never occurs inside a UTF-8 sequence, so the
 * bytes are split before they are decoded). A line longer than {@code maxBytes} is passed over
 * without being kept, so one giant line costs no more memory than the limit.
 */
final class Lines {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[1 << 12];
    private int length;
    private boolean oversized;

    Lines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        oversized = false;
        boolean started = false;
        while (pos < end || fill()) {
            started = true;
            int nl = indexOfNewline();
            keep(nl < 0 ? end : nl);
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                return true;
            }
        }
        return started; // a last line without '\n'
    }

    /** The current line's bytes, valid up to {@link #length()} and until the next call to {@link #next()}. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** The current line was longer than the limit; its bytes were not kept. */
    boolean oversized() {
        return oversized;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, chunk.length);
        pos = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    private int indexOfNewline() {
        for (int i = pos; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void keep(int upTo) {
        int n = upTo - pos;
        if (oversized || length + n > maxBytes) {
            oversized = true;
            length = 0;
            return;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(length + n, 2 * line.length)));
        }
        System.arraycopy(chunk, pos, line, length, n);
        length += n;
    }
}
