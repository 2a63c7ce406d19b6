package io.frugalspark.data.shard;

import io.frugalspark.data.ShardDtype;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Random access to one shard, read on demand from its FileSystem: only the sequences asked for are in memory. */
public final class ShardFile implements Closeable {
    private final String source;
    private final ShardHeader header;
    private final FSDataInputStream stream;

    private ShardFile(String source, ShardHeader header, FSDataInputStream stream) {
        this.source = source;
        this.header = header;
        this.stream = stream;
    }

    public static ShardFile open(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            FSDataInputStream in = fs.open(path);
            byte[] head = new byte[ShardHeader.BYTES];
            in.readFully(0, head);
            ShardHeader h = ShardHeader.decode(head, path.toString());
            long expected = h.fileBytes();
            long actual = fs.getFileStatus(path).getLen();
            if (actual != expected) {
                in.close();
                throw new IllegalArgumentException(path + ": " + actual + " bytes, header says " + expected + " (truncated shard?)");
            }
            return new ShardFile(path.toString(), h, in);
        } catch (EOFException e) {
            throw new IllegalArgumentException(path + ": shorter than a shard header", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open shard " + path + ": " + e.getMessage(), e);
        }
    }

    public ShardHeader header() {
        return header;
    }

    public long count() {
        return header.count();
    }

    public int seqLen() {
        return header.seqLen();
    }

    public int[] sequence(long i) {
        int[] seq = new int[header.seqLen()];
        read(i, seq);
        return seq;
    }

    /** Copies sequence i into {@code into} (length seqLen). */
    public void read(long i, int[] into) {
        if (i < 0 || i >= header.count()) {
            throw new IndexOutOfBoundsException(source + ": sequence " + i + " of " + header.count());
        }
        long offset = ShardHeader.BYTES + i * header.sequenceBytes();
        byte[] buf = new byte[(int) header.sequenceBytes()];
        try {
            // seek and read, not a positioned read: the checksummed local file system reopens the file
            // (and its .crc) for every positioned read. Tasks of one executor share the stream.
            synchronized (stream) {
                stream.seek(offset);
                stream.readFully(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " at sequence " + i + ": " + e.getMessage(), e);
        }
        decode(buf, 0, into);
    }

    private void decode(byte[] b, int o, int[] into) {
        if (header.dtype() == ShardDtype.UINT16) {
            for (int k = 0; k < into.length; k++, o += 2) {
                into[k] = (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
            }
        } else {
            for (int k = 0; k < into.length; k++, o += 4) {
                into[k] = (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
            }
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
