package org.elastichadoop.iscsi.volume.log.map;

import java.util.HashMap;
import java.util.Map;

/**
 * Map pages loaded for one lookup and held by it, so that the cache may evict them meanwhile without the lookup
 * noticing. Got from {@link LbaMap#load}, outside the volume's lock; used by {@link LbaMap#lookup} under it.
 */
public final class Pages {
    static final Pages NONE = new Pages(Map.of());

    private final Map<Long, MapPage> byId;

    Pages(Map<Long, MapPage> byId) {
        this.byId = byId;
    }

    static Pages of(Iterable<MapPage> pages) {
        Map<Long, MapPage> m = new HashMap<>();
        for (MapPage p : pages) m.put(p.id, p);
        return new Pages(m);
    }

    MapPage get(long id) {
        return byId.get(id);
    }
}
