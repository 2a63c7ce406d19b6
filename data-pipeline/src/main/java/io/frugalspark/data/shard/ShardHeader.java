package io.frugalspark.data.shard;

import io.frugalspark.data.ShardDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-byte little-endian header of a token shard:
 * <pre>
 *   0  int32  magic   0x4B544746 ("FGTK" as bytes 46 47 54 4B)
 *   4  int32  version 1
 *   8  int32  dtype   1 = uint16, 2 = int32
 *  12  int32  seqLen  tokens per sequence
 *  16  int64  count   sequences in the file
 *  24  8 bytes reserved, zero
 * </pre>
 * followed by count x seqLen token ids of the dtype, little-endian, sequence after sequence.
 */
public record ShardHeader(ShardDtype dtype, int seqLen, long count) {
    public static final int MAGIC = 0x4B544746;
    public static final int VERSION = 1;
    public static final int BYTES = 32;

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(dtype.code()).putInt(seqLen).putLong(count).putLong(0);
        return b.array();
    }

    /** @param source names the file in error messages */
    public static ShardHeader decode(byte[] bytes, String source) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(source + ": not a token shard (magic " + Integer.toHexString(magic) + ")");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException(source + ": unsupported shard version " + version);
        }
        return new ShardHeader(ShardDtype.ofCode(b.getInt()), b.getInt(), b.getLong());
    }

    public long sequenceBytes() {
        return (long) seqLen * dtype.bytes();
    }

    public long fileBytes() {
        return BYTES + count * sequenceBytes();
    }
}
