package org.elastichadoop.iscsi.volume.log.map;

/**
 * A lookup needed a page that was neither loaded for it nor cached: the runs changed (a flush or a merge) between
 * {@link LbaMap#load} and {@link LbaMap#lookup}. Load again and retry.
 */
public final class PagesMissingException extends RuntimeException {
    PagesMissingException(long pageId) {
        super("map page " + pageId + " is not loaded", null, false, false);
    }
}
