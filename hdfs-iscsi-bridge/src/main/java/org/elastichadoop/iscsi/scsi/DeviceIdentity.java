package org.elastichadoop.iscsi.scsi;

/**
 * What a logical unit says about itself in INQUIRY and its VPD pages.
 *
 * @param vendor                  T10 vendor identification, at most 8 ASCII characters
 * @param product                 product identification, at most 16 characters
 * @param revision                product revision level, at most 4 characters
 * @param serialNumber            unit serial number (VPD 80h)
 * @param naaId                   the logical unit name for VPD 83h: an NAA 5 identifier (64 bits,
 *                                NAA nibble, 24-bit IEEE OUI, 36-bit vendor specific), or the first
 *                                64 bits of an NAA 6 one, which INQUIRY extends to 128 bits with a
 *                                hash of the serial number
 * @param targetPortName          SCSI target port name (iSCSI: "iqn...,t,0x0001")
 * @param relativeTargetPortId    relative target port identifier (1 or more)
 * @param targetPortGroup         target port group (for VPD 83h; TPGS/ALUA is not offered)
 * @param readOnly                whether the unit refuses writes (DATA PROTECT)
 */
public record DeviceIdentity(String vendor, String product, String revision, String serialNumber,
                             long naaId, String targetPortName, int relativeTargetPortId,
                             int targetPortGroup, boolean readOnly) {

    /** Company id used by {@link #of}; not an IEEE-assigned OUI of this project. */
    public static final int DEFAULT_OUI = 0x0e1a5c;

    public DeviceIdentity {
        check(vendor, 8, "vendor");
        check(product, 16, "product");
        check(revision, 4, "revision");
        if (serialNumber == null || serialNumber.isEmpty() || serialNumber.length() > 200) {
            throw new IllegalArgumentException("serial number must have 1 to 200 characters");
        }
        if (relativeTargetPortId < 1 || relativeTargetPortId > 0xffff) {
            throw new IllegalArgumentException("relative target port id out of range: " + relativeTargetPortId);
        }
        if (targetPortName == null || targetPortName.isEmpty()) {
            throw new IllegalArgumentException("target port name missing");
        }
    }

    /**
     * A default identity for a unit: vendor "ELASTICH", product "iscsi-bridge", an NAA 6 id whose
     * vendor-specific part is derived from {@code serialNumber}. {@link #DEFAULT_OUI} is a
     * placeholder; a deployment with its own IEEE OUI should pass it through the canonical
     * constructor.
     */
    public static DeviceIdentity of(String serialNumber, String targetPortName, boolean readOnly) {
        long hash = 1125899906842597L;
        for (char c : serialNumber.toCharArray()) {
            hash = 31 * hash + c;
        }
        long naa = 0x6000000000000000L | ((long) DEFAULT_OUI << 36) | (hash & 0xfffffffffL);
        return new DeviceIdentity("ELASTICH", "iscsi-bridge", "0001", serialNumber, naa, targetPortName, 1, 1,
                readOnly);
    }

    public DeviceIdentity withReadOnly(boolean ro) {
        return new DeviceIdentity(vendor, product, revision, serialNumber, naaId, targetPortName,
                relativeTargetPortId, targetPortGroup, ro);
    }

    private static void check(String s, int max, String what) {
        if (s == null || s.length() > max || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " must be at most " + max + " printable ASCII characters: " + s);
        }
    }
}
