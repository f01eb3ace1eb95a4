package org.elastichadoop.iscsi.volume;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

public class MemoryVolumeTest {

    @Test
    public void sparseUntilWritten() {
        MemoryVolume v = new MemoryVolume((1L << 30) / 512, 512);
        assertEquals(0, v.allocatedChunks());
        ByteBuf data = Unpooled.wrappedBuffer(new byte[1024]);
        data.setByte(0, 1);
        v.write(1000, data, false);
        assertEquals(1, v.allocatedChunks());
        ByteBuf back = Unpooled.buffer();
        v.read(999, 3, back);
        assertEquals(0, back.getByte(0));
        assertEquals(1, back.getByte(512));
        BlockVolume.Extent e = v.extentAt(0);
        assertFalse(e.mapped());
        assertEquals(896, e.blocks());
        assertTrue(v.extentAt(896).mapped());
        v.unmap(896, 128);
        assertEquals(0, v.allocatedChunks());
    }

    @Test
    public void partialUnmapZeroes() {
        MemoryVolume v = new MemoryVolume(1024, 512);
        byte[] ones = new byte[512 * 4];
        java.util.Arrays.fill(ones, (byte) 1);
        v.write(0, Unpooled.wrappedBuffer(ones), false);
        v.unmap(1, 2);
        ByteBuf back = Unpooled.buffer();
        v.read(0, 4, back);
        assertEquals(1, back.getByte(0));
        assertEquals(0, back.getByte(512));
        assertEquals(1, back.getByte(3 * 512));
    }
}
