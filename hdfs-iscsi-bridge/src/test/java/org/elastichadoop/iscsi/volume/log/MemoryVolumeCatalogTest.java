package org.elastichadoop.iscsi.volume.log;

public class MemoryVolumeCatalogTest extends VolumeCatalogContract {
    @Override
    protected VolumeCatalog newCatalog() {
        return new MemoryVolumeCatalog();
    }
}
