package org.elastichadoop.iscsi.scsi;

import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

public class CompareAndWriteTest extends ScsiTestBase {

    private static byte[] caw(long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x89;
        Cdb.put64(c, 2, lba);
        c[13] = (byte) blocks;
        return c;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    public void comparesThenWrites() {
        assertGood(send(A, caw(3, 1), concat(new byte[BS], filled(BS, 4))));
        assertArrayEquals(filled(BS, 4), bytes(send(A, rw10(0x28, 3, 1))));
    }

    @Test
    public void miscompareReportsOffsetAndWritesNothing() {
        assertGood(send(A, rw10(0x2A, 3, 2), filled(2 * BS, 4)));
        byte[] verify = filled(2 * BS, 4);
        verify[BS + 17] = 5;
        ScsiResult r = send(A, caw(3, 2), concat(verify, filled(2 * BS, 6)));
        assertCheck(r, SenseKey.MISCOMPARE, Asc.MISCOMPARE_DURING_VERIFY);
        assertEquals(BS + 17, Cdb.u32(r.sense(), 3));
        assertArrayEquals(filled(2 * BS, 4), bytes(send(A, rw10(0x28, 3, 2))));
    }

    @Test
    public void errors() {
        assertCheck(send(A, caw(BLOCKS, 1), new byte[2 * BS]), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        assertGood(send(A, caw(0, 0), new byte[0]));
        ScsiResult shortData = send(A, caw(0, 1), new byte[BS]);
        assertCheck(shortData, SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_COMMAND_IU);
        assertEquals(2 * BS, shortData.spdtl());
        assertCheck(send(A, caw(0, 1), new byte[4 * BS]), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    /**
     * Many nexuses increment a counter in block 0 with COMPARE AND WRITE while plain writes hammer
     * the same block's neighbour: every successful CAW must have seen the previous value, so the
     * final count equals the number of successes.
     */
    @Test
    public void atomicAgainstConcurrentWrites() {
        assertGood(send(A, rw10(0x2A, 0, 2), new byte[2 * BS]));
        AtomicInteger successes = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Nexus n = new Nexus("iqn.test:" + t, "40000137000" + t, "iqn.test:t", 1);
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    byte[] current = bytes(send(n, rw10(0x28, 0, 2)));
                    int value = Cdb.u16(current, 0);
                    byte[] next = current.clone();
                    Cdb.put16(next, 0, value + 1);
                    ScsiResult r = send(n, caw(0, 2), concat(current, next));
                    if (r.status() == ScsiResult.GOOD) {
                        successes.incrementAndGet();
                    }
                    // a plain write to the second block, racing with the CAWs
                    byte[] second = next.clone();
                    byte[] block = new byte[BS];
                    System.arraycopy(second, BS, block, 0, BS);
                    block[5] = (byte) i;
                    assertGood(send(n, rw10(0x2A, 1, 1), block));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
        int value = Cdb.u16(bytes(send(A, rw10(0x28, 0, 1))), 0);
        assertEquals(successes.get(), value);
    }
}
