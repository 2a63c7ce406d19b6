package io.frugalspark.data.shard;

import io.frugalspark.data.ShardDtype;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes one shard to a local file: the header's count is only known at the end, and a local file
 * can be patched in place before it is copied to the output FileSystem in one piece.
 */
public final class ShardWriter implements AutoCloseable {
    private final Path file;
    private final ShardDtype dtype;
    private final int seqLen;
    private final int padId;
    private final OutputStream out;
    private final byte[] row;
    private long count;
    private long tokens;
    private boolean closed;

    public ShardWriter(Path file, ShardDtype dtype, int seqLen, int padId) {
        this.file = file;
        this.dtype = dtype;
        this.seqLen = seqLen;
        this.padId = padId;
        this.row = new byte[seqLen * dtype.bytes()];
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            out.write(new ShardHeader(dtype, seqLen, 0).encode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shard " + file, e);
        }
    }

    public void append(int[] seq) {
        if (seq.length != seqLen) {
            throw new IllegalArgumentException("sequence of " + seq.length + " tokens, shard holds " + seqLen);
        }
        for (int i = 0, o = 0; i < seqLen; i++) {
            int t = seq[i];
            row[o++] = (byte) t;
            row[o++] = (byte) (t >>> 8);
            if (dtype == ShardDtype.INT32) {
                row[o++] = (byte) (t >>> 16);
                row[o++] = (byte) (t >>> 24);
            }
            if (t != padId) {
                tokens++;
            }
        }
        try {
            out.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write shard " + file, e);
        }
        count++;
    }

    public long count() {
        return count;
    }

    /** Non-PAD tokens written. */
    public long tokens() {
        return tokens;
    }

    public Path file() {
        return file;
    }

    /** Closes the file with its final header and returns the SHA-256 of its bytes. */
    public String finish() {
        close();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.write(new ShardHeader(dtype, seqLen, count).encode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish shard " + file, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
