package org.elastichadoop.iscsi.bridge.standby;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Writer ids in the latch: round trip, and when a holder counts as a dead process of this host. */
public class WriterIdTest {

    @Test
    public void roundTripsThroughTheLatchNodeId() {
        WriterId me = WriterId.ofThisProcess("0.0.0.0:3260");
        WriterId back = WriterId.parse(me.toString());
        assertEquals(me, back);
        assertEquals(ProcessHandle.current().pid(), back.pid());
        assertTrue(me.describe(), me.describe().contains("pid " + ProcessHandle.current().pid()));
        assertNull(WriterId.parse("written by something else"));
        assertNull(WriterId.parse(""));
    }

    @Test
    public void aHolderWhoseProcessHasExitedOnThisHostIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        WriterId me = WriterId.ofThisProcess("x:1");
        WriterId dead = new WriterId(me.host(), p.pid(), me.pidNamespace(), "x:1", "00000000");
        assertTrue("a bridge process of this host that exited", dead.isGoneFromThisHost());
    }

    @Test
    public void liveProcessesAndOtherHostsOrNamespacesAreNotGone() throws Exception {
        WriterId me = WriterId.ofThisProcess("x:1");
        assertFalse("this very JVM (another bridge in it)", me.isGoneFromThisHost());
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        assertFalse("a live process", new WriterId(me.host(), parent, me.pidNamespace(), "x:1", "r").isGoneFromThisHost());
        assertFalse("another host", new WriterId(me.host() + "-other", 999_999_999L, me.pidNamespace(), "x:1", "r").isGoneFromThisHost());
        assertFalse("another PID namespace (a container)", new WriterId(me.host(), 999_999_999L, "pid:[1]", "x:1", "r").isGoneFromThisHost());
    }
}
