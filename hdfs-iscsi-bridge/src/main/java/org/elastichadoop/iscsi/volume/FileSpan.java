package org.elastichadoop.iscsi.volume;

import java.nio.channels.FileChannel;

/**
 * A byte range of a volume's backing file, for a transport that can send it straight from the file
 * (sendfile) instead of reading it into memory first. The channel belongs to the volume: a user
 * must not close it.
 */
public record FileSpan(FileChannel channel, long position, long length) {}
