package org.elastichadoop.iscsi.volume;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The few Linux libc calls Java has no API for: hole punching, hole finding, reads that must not block. */
final class LibC {

    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int RWF_NOWAIT = 0x08;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int EOPNOTSUPP = 95;

    private static final Throwable LOAD_FAILURE;

    static {
        Throwable failure = null;
        try {
            Native.register(Platform.C_LIBRARY_NAME);
        } catch (Throwable t) {
            failure = t;
        }
        LOAD_FAILURE = failure;
    }

    private LibC() {}

    static boolean available() {
        return LOAD_FAILURE == null && Platform.isLinux();
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native long preadv2(int fd, Pointer iov, int iovcnt, long offset, int flags) throws LastErrorException;
}
