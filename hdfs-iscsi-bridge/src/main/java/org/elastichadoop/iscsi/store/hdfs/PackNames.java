package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException;
import org.apache.hadoop.ipc.RemoteException;

import java.io.IOException;

/** Pack file names ({@code %016d.pack}, numbered in creation order) and what HDFS answers when a name is taken. */
final class PackNames {
    static final String SUFFIX = ".pack";

    private PackNames() {
    }

    /** The pack's number, or -1 if {@code p} is not named as a pack. */
    static long number(Path p) {
        String name = p.getName();
        if (!name.endsWith(SUFFIX)) return -1;
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Path path(Path dir, long number) {
        return new Path(dir, String.format("%016d%s", number, SUFFIX));
    }

    /** Whether a create failed because another client holds or created that file. */
    static boolean taken(IOException e) {
        if (e instanceof FileAlreadyExistsException) return true;
        if (e instanceof AlreadyBeingCreatedException) return !recreatedByItsHolder(e);
        return e instanceof RemoteException r && (r.getClassName().equals(FileAlreadyExistsException.class.getName())
                || r.getClassName().equals(AlreadyBeingCreatedException.class.getName()) && !recreatedByItsHolder(e));
    }

    /** HDFS's answer when a client creates again a file it created itself (its first answer was lost). */
    static boolean recreatedByItsHolder(IOException e) {
        return String.valueOf(e.getMessage()).contains("current leaseholder is trying to recreate");
    }
}
