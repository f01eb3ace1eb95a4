package org.elastichadoop.kv.storage;

import java.util.List;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/** Base of the store tests that run twice: with O_DIRECT tail writes and through the page cache. */
@RunWith(Parameterized.class)
public abstract class BothIoModes {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "directIo={0}")
    public static List<Object[]> ioModes() {
        return StoreTestSupport.ioModes();
    }

    @Parameter
    public boolean directIo;

    protected StoreOptions.Builder testOptions() {
        return StoreTestSupport.testOptions(directIo);
    }
}
