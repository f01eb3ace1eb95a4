package org.elastichadoop.iscsi.scsi.reservation;

/**
 * How a command is treated when another nexus holds a reservation (SPC-4 5.13.1 table, SBC-3
 * 4.17). Both SPC-2 reservations and persistent reservations are judged from this class.
 */
public enum Access {
    /** Never conflicts: INQUIRY, REPORT LUNS, REQUEST SENSE, PERSISTENT RESERVE IN. */
    ALLOWED,
    /** Allowed under persistent reservations, conflicts with an SPC-2 reservation (TUR, READ CAPACITY). */
    ALLOWED_UNLESS_SPC2,
    /** Reads the medium: conflicts under exclusive-access types only. */
    READ,
    /** Writes the medium or changes state: conflicts under all types for non-holders. */
    WRITE,
    /** PERSISTENT RESERVE OUT: conflicts with an SPC-2 reservation held by another nexus only. */
    PERSISTENT_RESERVE_OUT,
    /** RESERVE / RELEASE (6)/(10): judged by the commands themselves. */
    SPC2_RESERVATION
}
