package org.elastichadoop.iscsi.scsi;

/**
 * An I_T nexus: one initiator port talking to one target port. Reservations, registrations and
 * unit attentions are kept per nexus.
 *
 * @param initiatorName  the initiator's iSCSI name (InitiatorName key)
 * @param isid           the session's ISID, six bytes as 12 lower-case hex digits
 * @param targetName     the target's iSCSI name
 * @param tpgt           target portal group tag
 */
public record Nexus(String initiatorName, String isid, String targetName, int tpgt) {

    /** iSCSI initiator port name, as SPC's TransportID and RFC 7143 section 4.2.7 spell it. */
    public String initiatorPort() {
        return initiatorName + ",i,0x" + isid;
    }

    /** iSCSI target port name. */
    public String targetPort() {
        return targetName + ",t,0x" + String.format("%04x", tpgt);
    }
}
