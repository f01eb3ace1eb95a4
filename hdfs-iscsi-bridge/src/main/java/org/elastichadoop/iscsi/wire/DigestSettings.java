package org.elastichadoop.iscsi.wire;

/**
 * Which digests a connection uses, shared by its decoder and encoder. Login runs without them; the
 * negotiated values take effect from the first PDU after the final login response.
 */
public final class DigestSettings {
    private volatile boolean header;
    private volatile boolean data;

    public boolean header() { return header; }
    public boolean data() { return data; }

    public void enable(boolean header, boolean data) {
        this.header = header;
        this.data = data;
    }
}
