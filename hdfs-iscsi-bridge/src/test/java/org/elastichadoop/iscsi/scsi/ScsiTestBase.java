package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.MemoryVolume;
import org.junit.After;
import org.junit.Before;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

/** A BlockDevice over a MemoryVolume, two nexuses, and helpers to send CDBs and check sense. */
public abstract class ScsiTestBase {

    protected static final Nexus A = new Nexus("iqn.2026-01.test:a", "400001370000", "iqn.2026-01.test:t", 1);
    protected static final Nexus B = new Nexus("iqn.2026-01.test:b", "400001370001", "iqn.2026-01.test:t", 1);
    protected static final int BS = 512;
    protected static final long BLOCKS = 1 << 16;

    protected ExecutorService io;
    protected MemoryVolume volume;
    protected BlockDevice device;

    @Before
    public void setUpDevice() {
        io = Executors.newFixedThreadPool(8);
        volume = new MemoryVolume(BLOCKS, BS);
        device = newDevice(volume, false);
    }

    protected BlockDevice newDevice(BlockVolume v, boolean readOnly) {
        return new BlockDevice(v, DeviceIdentity.of("SN0001", "iqn.2026-01.test:t,t,0x0001", readOnly), io);
    }

    /** Every result a test received; their data buffers are released after the test. */
    private final java.util.List<ScsiResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();

    @After
    public void tearDownDevice() {
        io.shutdownNow();
        for (ScsiResult r : results) {
            if (r.dataIn().refCnt() > 0) r.dataIn().release();
        }
    }

    protected ScsiResult send(Nexus n, byte[] cdb) {
        return send(n, cdb, null, 0x10000000);
    }

    protected ScsiResult send(Nexus n, byte[] cdb, byte[] dataOut) {
        return send(n, cdb, dataOut, dataOut == null ? 0 : dataOut.length);
    }

    protected ScsiResult send(Nexus n, byte[] cdb, byte[] dataOut, int edtl) {
        return send(device, n, cdb, dataOut, edtl);
    }

    protected ScsiResult send(LogicalUnit unit, Nexus n, byte[] cdb, byte[] dataOut, int edtl) {
        ByteBuf out = dataOut == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(dataOut);
        ScsiCommand c = new ScsiCommand(n, 0, cdb, out, edtl, ScsiCommand.TaskAttribute.SIMPLE, 1);
        ScsiResult r = unit.execute(c).join();
        assertNotNull(r);
        results.add(r);
        return r;
    }

    protected static byte[] bytes(ScsiResult r) {
        byte[] b = new byte[r.dataIn().readableBytes()];
        r.dataIn().getBytes(r.dataIn().readerIndex(), b);
        r.dataIn().release();
        return b;
    }

    protected static void assertGood(ScsiResult r) {
        assertEquals("status, sense " + (r.sense() == null ? "none" : Integer.toHexString(Sense.ascAscq(r.sense()))),
                ScsiResult.GOOD, r.status());
    }

    protected static void assertCheck(ScsiResult r, int key, int ascAscq) {
        assertEquals(ScsiResult.CHECK_CONDITION, r.status());
        assertEquals("sense key", key, Sense.key(r.sense()));
        assertEquals("asc/ascq", Integer.toHexString(ascAscq), Integer.toHexString(Sense.ascAscq(r.sense())));
    }

    protected static byte[] cdb(int... b) {
        byte[] c = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    protected static byte[] rw10(int opcode, long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = (byte) opcode;
        Cdb.put32(c, 2, lba);
        Cdb.put16(c, 7, blocks);
        return c;
    }

    protected static byte[] rw16(int opcode, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        Cdb.put64(c, 2, lba);
        Cdb.put32(c, 10, blocks);
        return c;
    }

    protected static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
