package org.elastichadoop.iscsi.fullfeature;

import io.netty.channel.DefaultFileRegion;

import java.nio.channels.FileChannel;

/**
 * A range of a volume's file sent with sendfile. Unlike its parent it leaves the channel open when
 * released: the channel belongs to the volume and serves every other command too.
 */
final class VolumeFileRegion extends DefaultFileRegion {
    VolumeFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // the volume closes its channel
    }
}
