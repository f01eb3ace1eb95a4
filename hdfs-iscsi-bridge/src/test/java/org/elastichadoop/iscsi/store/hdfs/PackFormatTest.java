package org.elastichadoop.iscsi.store.hdfs;

import org.junit.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

public class PackFormatTest {

    @Test
    public void aHeaderReadsBackAsTheRecordItWasWrittenFor() {
        byte[] value = {1, 2, 3, 4, 5};
        int crc = PackFormat.crc(value, 0, value.length);
        byte[] header = PackFormat.header(PackRecord.Type.PUT, "vol-1/s/3/17", value.length, crc);
        PackRecord r = PackFormat.parseHeader(header, 4096);
        assertEquals(new PackRecord(PackRecord.Type.PUT, "vol-1/s/3/17", 4096, 5, crc), r);
        assertEquals(4096 + header.length, r.valueOffset());
        assertEquals(header.length + 5, r.length());
    }

    @Test
    public void aHeaderWithAnyByteChangedOrCutShortIsTorn() {
        byte[] header = PackFormat.header(PackRecord.Type.DELETE, "k/é", 0, 0);
        for (int i = 0; i < header.length; i++) {
            byte[] damaged = header.clone();
            damaged[i] ^= 0x10;
            PackRecord r = PackFormat.parseHeader(damaged, 8);
            assertNull("byte " + i + " changed", r);
        }
        assertNull(PackFormat.parseHeader(Arrays.copyOf(header, header.length - 1), 8));
    }

    @Test
    public void anIndexReadsBackAndADamagedOneIsRefused() {
        List<PackRecord> records = List.of(new PackRecord(PackRecord.Type.PUT, "a/1", 8, 100, 7),
                new PackRecord(PackRecord.Type.DELETE, "a/0", 200, 0, 0));
        byte[] index = PackFormat.index(records, 300);
        byte[] trailer = Arrays.copyOfRange(index, index.length - PackFormat.TRAILER, index.length);
        assertEquals(300, PackFormat.indexOffset(trailer));
        assertEquals(records, PackFormat.parseIndex(index));
        index[5] ^= 1;
        assertNull(PackFormat.parseIndex(index));
        trailer[trailer.length - 1] ^= 1;
        assertEquals(-1, PackFormat.indexOffset(trailer));
    }
}
