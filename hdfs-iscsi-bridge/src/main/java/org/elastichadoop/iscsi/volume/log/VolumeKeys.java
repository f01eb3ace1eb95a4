package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.volume.log.map.PageIds;

import java.util.List;

/**
 * The store keys of a volume's entries. All start with the volume's id, so a volume deleted and created again under
 * the same name never meets the old entries; each names the writer epoch that stored it, so a fenced writer and the
 * one that replaced it never store under the same key.
 */
public final class VolumeKeys {
    private VolumeKeys() {
    }

    public static String segment(String volumeId, long epoch, long seq) {
        return volumeId + "/s/" + epoch + "/" + seq;
    }

    /** The {@code n}th checkpoint (from 0) stored by writer epoch {@code epoch}. */
    public static String checkpoint(String volumeId, long epoch, long n) {
        return volumeId + "/c/" + epoch + "/" + n;
    }

    /** The writer epoch and number of a checkpoint key, or null if it has another form (written by an earlier version). */
    static long[] checkpointNumber(String volumeId, String key) {
        String prefix = volumeId + "/c/";
        if (!key.startsWith(prefix)) return null;
        String[] parts = key.substring(prefix.length()).split("/");
        try {
            return parts.length == 2 ? new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static String mapPage(String volumeId, long pageId) {
        return volumeId + "/m/" + PageIds.epoch(pageId) + "/" + PageIds.counter(pageId);
    }

    /** The key of segment {@code seq}, or null if no writer epoch had started by then. */
    public static String segment(VolumeRecord record, long seq) {
        long epoch = epochOf(record.epochs(), seq);
        return epoch < 0 ? null : segment(record.id(), epoch, seq);
    }

    /** The writer epoch whose key holds segment {@code seq}, or -1 if no epoch has started by then. */
    public static long epochOf(List<VolumeRecord.EpochStart> epochs, long seq) {
        long found = -1;
        for (VolumeRecord.EpochStart e : epochs) if (e.firstSeq() <= seq) found = e.epoch();
        return found;
    }
}
