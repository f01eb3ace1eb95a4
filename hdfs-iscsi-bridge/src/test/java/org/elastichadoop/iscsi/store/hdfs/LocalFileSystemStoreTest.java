package org.elastichadoop.iscsi.store.hdfs;

import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.ImmutableStoreContract;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/** The store contract on the HDFS store's code over a local file system (the same packs; no NameNode). */
public class LocalFileSystemStoreTest extends ImmutableStoreContract {
    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();
    private HdfsStore store;

    @Before
    public void open() throws Exception {
        store = HdfsStore.open(dir.getRoot().toURI(), HdfsStore.configuration(null), HdfsStoreOptions.defaults().withPackBytes(1 << 20));
    }

    @After
    public void close() {
        store.close();
    }

    @Override
    protected ImmutableStore store() {
        return store;
    }
}
