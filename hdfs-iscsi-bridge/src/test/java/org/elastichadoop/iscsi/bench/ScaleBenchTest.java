package org.elastichadoop.iscsi.bench;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

/** What {@code iscsi-bench scale} reads off jcmd, as JDK 17's collectors print it. */
public class ScaleBenchTest {

    @Test
    public void theHeapInUseIsTheWholeHeapsLineForG1() {
        String g1 = """
                4242:
                 garbage-first heap   total 262144K, used 109568K [0x00000000f0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 31000K, committed 31500K, reserved 1114112K
                  class space    used 3500K, committed 3700K, reserved 1048576K
                """;
        assertEquals(107.0, ScaleBench.parseHeapUsedMib(g1), 1e-9);
    }

    @Test
    public void theHeapInUseAddsTheGenerationsForSerialAndParallel() {
        String serial = """
                4242:
                 def new generation   total 9216K, used 2048K [0x00000000f0000000, 0x00000000f0a00000, 0x00000000f5550000)
                  eden space 8192K,  25% used [0x00000000f0000000, 0x00000000f0200000, 0x00000000f0800000)
                 tenured generation   total 20480K, used 8192K [0x00000000f5550000, 0x00000000f6950000, 0x0000000100000000)
                 Metaspace       used 31000K, committed 31500K, reserved 1114112K
                """;
        assertEquals(10.0, ScaleBench.parseHeapUsedMib(serial), 1e-9);
    }

    @Test
    public void theStrideFitsQemuImgAndVisitsEveryBlockOnce() {
        long positions = (1L << 40) / 4096 - 1; // a 1 TiB volume, less one request
        long stride = ScaleBench.stride(positions);
        assertEquals(true, stride * 4096 <= Integer.MAX_VALUE && stride > 1000);
        assertEquals(1, java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(positions)).longValue());
        long small = 1000 * 999L; // even
        assertEquals(1, java.math.BigInteger.valueOf(ScaleBench.stride(small)).gcd(java.math.BigInteger.valueOf(small)).longValue());
    }

    @Test
    public void outputWithoutAHeapLineIsAnError() {
        assertThrows(BenchException.class, () -> ScaleBench.parseHeapUsedMib("4242:\nCould not attach\n"));
    }
}
