package io.frugalspark.data.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.SequenceMode;
import io.frugalspark.data.ShardDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard file format and the two sequence modes, on real files. */
class ShardTest {
    private static final int EOS = 1001;
    private static final int PAD = 1002;

    @Test
    void headerAndBodyAreLittleEndianAsDocumented(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.bin");
        ShardWriter w = new ShardWriter(f, ShardDtype.UINT16, 3, PAD);
        w.append(new int[] {1, 65535, PAD});
        w.append(new int[] {258, 2, 3});
        String sha = w.finish();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32 + 2 * 3 * 2, b.capacity());
        assertEquals(0x4B544746, b.getInt(0));
        assertEquals('F', b.get(0));
        assertEquals(1, b.getInt(4));
        assertEquals(1, b.getInt(8));
        assertEquals(3, b.getInt(12));
        assertEquals(2L, b.getLong(16));
        assertEquals(65535, b.getShort(34) & 0xffff);
        assertEquals(2, b.get(38) & 0xff); // 258 = 0x0102, low byte first
        assertEquals(5, w.tokens());
        assertEquals(64, sha.length());
        try (ShardFile s = ShardFile.open(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration())) {
            assertArrayEquals(new int[] {258, 2, 3}, s.sequence(1));
            assertArrayEquals(new int[] {1, 65535, PAD}, s.sequence(0));
        }
    }

    @Test
    void int32ShardsHoldLargeIds(@TempDir Path dir) {
        Path f = dir.resolve("b.bin");
        ShardWriter w = new ShardWriter(f, ShardDtype.INT32, 2, 200021);
        w.append(new int[] {200018, 70000});
        w.finish();
        try (ShardFile s = ShardFile.open(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration())) {
            assertEquals(ShardDtype.INT32, s.header().dtype());
            assertArrayEquals(new int[] {200018, 70000}, s.sequence(0));
        }
    }

    @Test
    void truncatedShardIsRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.bin");
        ShardWriter w = new ShardWriter(f, ShardDtype.UINT16, 4, PAD);
        w.append(new int[] {1, 2, 3, 4});
        w.finish();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardFile.open(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()));
        assertTrue(e.getMessage().contains("c.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void packingJoinsDocumentsWithEosAndPadsOnlyTheTail() {
        List<int[]> out = new ArrayList<>();
        SequenceBuilder b = SequenceBuilder.of(SequenceMode.PACK, 4, EOS, PAD);
        b.add(new int[] {1, 2, 3}, out::add);
        b.add(new int[] {4, 5, 6, 7, 8}, out::add);
        b.add(new int[] {9}, out::add);
        b.finish(out::add);
        assertEquals(3, out.size());
        assertArrayEquals(new int[] {1, 2, 3, EOS}, out.get(0));
        assertArrayEquals(new int[] {4, 5, 6, 7}, out.get(1));
        assertArrayEquals(new int[] {8, EOS, 9, EOS}, out.get(2));
        b.finish(out::add);
        assertEquals(3, out.size());
        b.add(new int[] {10}, out::add);
        b.finish(out::add);
        assertArrayEquals(new int[] {10, EOS, PAD, PAD}, out.get(3));
    }

    @Test
    void documentModeTruncatesThenEndsWithEosAndPads() {
        List<int[]> out = new ArrayList<>();
        SequenceBuilder b = SequenceBuilder.of(SequenceMode.DOCUMENT, 4, EOS, PAD);
        b.add(new int[] {1, 2, 3, 4, 5, 6}, out::add);
        b.add(new int[] {7}, out::add);
        assertArrayEquals(new int[] {1, 2, 3, EOS}, out.get(0));
        assertArrayEquals(new int[] {7, EOS, PAD, PAD}, out.get(1));
    }

    @Test
    void cursorFormRoundTrips() {
        assertEquals(new ShardCursor(3, 17), ShardCursor.parse(new ShardCursor(3, 17).toString()));
        assertThrows(IllegalArgumentException.class, () -> ShardCursor.parse("17"));
    }
}
