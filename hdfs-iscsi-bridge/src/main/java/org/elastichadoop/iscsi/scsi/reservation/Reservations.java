package org.elastichadoop.iscsi.scsi.reservation;

import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Nexus;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.UnitAttentions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reservation state of one logical unit: the SPC-2 RESERVE/RELEASE holder, and SPC-3/4 persistent
 * reservations (registrations per I_T nexus, one reservation, the PR generation). Persist Through
 * Power Loss is not offered: state lives as long as the unit object. All methods are synchronized;
 * there is little contention.
 */
public final class Reservations {

    private final UnitAttentions unitAttentions;
    private final int relativeTargetPortId;

    /** SPC-2 reservation holder, or null. */
    private Nexus spc2Holder;

    private final Map<Nexus, Long> registrations = new LinkedHashMap<>();
    private int generation;
    private PrType type;
    /** The reservation holder; for all-registrants types any registrant holds it and this is null. */
    private Nexus holder;

    public Reservations(UnitAttentions unitAttentions, int relativeTargetPortId) {
        this.unitAttentions = unitAttentions;
        this.relativeTargetPortId = relativeTargetPortId;
    }

    // ---- access checks -------------------------------------------------------------------

    /** Throws RESERVATION CONFLICT if {@code nexus} may not run a command of class {@code access}. */
    public synchronized void check(Nexus nexus, Access access) throws ScsiException {
        if (spc2Holder != null && !spc2Holder.equals(nexus)) {
            if (access != Access.ALLOWED && access != Access.SPC2_RESERVATION) {
                throw ScsiException.reservationConflict();
            }
            return;
        }
        if (type == null || isHolder(nexus)) {
            return;
        }
        boolean registered = registrations.containsKey(nexus);
        if (registered && type.registrantsHaveAccess()) {
            return;
        }
        switch (access) {
            case WRITE -> throw ScsiException.reservationConflict();
            case READ -> {
                if (type.exclusiveAccess()) {
                    throw ScsiException.reservationConflict();
                }
            }
            default -> { }
        }
    }

    private boolean isHolder(Nexus nexus) {
        if (type == null) {
            return false;
        }
        return type.allRegistrants() ? registrations.containsKey(nexus) : nexus.equals(holder);
    }

    // ---- SPC-2 RESERVE / RELEASE ----------------------------------------------------------

    public synchronized void reserve(Nexus nexus) throws ScsiException {
        if (type != null || (spc2Holder != null && !spc2Holder.equals(nexus))) {
            throw ScsiException.reservationConflict();
        }
        spc2Holder = nexus;
    }

    /** RELEASE from a nexus that does not hold the reservation is a successful no-op (SPC-2). */
    public synchronized void release(Nexus nexus) throws ScsiException {
        if (type != null && spc2Holder == null) {
            throw ScsiException.reservationConflict();
        }
        if (nexus.equals(spc2Holder)) {
            spc2Holder = null;
        }
    }

    public synchronized boolean spc2Reserved() {
        return spc2Holder != null;
    }

    /** A reset releases SPC-2 reservations; persistent reservations survive it. */
    public synchronized void reset() {
        spc2Holder = null;
    }

    public synchronized void nexusLost(Nexus nexus) {
        if (nexus.equals(spc2Holder)) {
            spc2Holder = null;
        }
    }

    // ---- PERSISTENT RESERVE OUT ------------------------------------------------------------

    public synchronized void register(Nexus nexus, long key, long newKey, boolean ignoreExisting)
            throws ScsiException {
        Long existing = registrations.get(nexus);
        if (existing == null) {
            if (!ignoreExisting && key != 0) {
                throw ScsiException.reservationConflict();
            }
            if (newKey != 0) {
                registrations.put(nexus, newKey);
                generation++;
            }
            return;
        }
        if (!ignoreExisting && existing != key) {
            throw ScsiException.reservationConflict();
        }
        if (newKey == 0) {
            unregister(nexus);
        } else {
            registrations.put(nexus, newKey);
        }
        generation++;
    }

    private void unregister(Nexus nexus) {
        registrations.remove(nexus);
        if (type == null) {
            return;
        }
        if (type.allRegistrants()) {
            if (registrations.isEmpty()) {
                type = null;
            }
        } else if (nexus.equals(holder)) {
            PrType old = type;
            type = null;
            holder = null;
            if (old.registrantsHaveAccess()) {
                raiseForRegistrants(null, Asc.RESERVATIONS_RELEASED);
            }
        }
    }

    public synchronized void reserve(Nexus nexus, long key, int scope, int typeCode) throws ScsiException {
        requireRegistered(nexus, key);
        PrType requested = validType(scope, typeCode);
        if (type != null) {
            if (isHolder(nexus) && type == requested) {
                return;
            }
            throw ScsiException.reservationConflict();
        }
        type = requested;
        holder = requested.allRegistrants() ? null : nexus;
    }

    public synchronized void release(Nexus nexus, long key, int scope, int typeCode) throws ScsiException {
        requireRegistered(nexus, key);
        if (type == null || !isHolder(nexus)) {
            return;
        }
        if (scope != 0 || type.code != typeCode) {
            throw ScsiException.illegal(Asc.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        PrType old = type;
        type = null;
        holder = null;
        if (old.registrantsHaveAccess()) {
            raiseForRegistrants(nexus, Asc.RESERVATIONS_RELEASED);
        }
    }

    public synchronized void clear(Nexus nexus, long key) throws ScsiException {
        requireRegistered(nexus, key);
        raiseForRegistrants(nexus, Asc.RESERVATIONS_PREEMPTED);
        registrations.clear();
        type = null;
        holder = null;
        generation++;
    }

    /** PREEMPT and PREEMPT AND ABORT (tasks are not aborted individually: the transport owns them). */
    public synchronized void preempt(Nexus nexus, long key, long victimKey, int scope, int typeCode)
            throws ScsiException {
        requireRegistered(nexus, key);
        if (type == null || (type.allRegistrants() && victimKey != 0)
                || (!type.allRegistrants() && registrations.get(holder) != victimKey)) {
            // no reservation affected: remove the registrations holding the victim key
            if (victimKey == 0) {
                throw ScsiException.invalidFieldInParameters(8, -1);
            }
            if (removeRegistrations(nexus, victimKey, false) == 0) {
                throw ScsiException.reservationConflict();
            }
            generation++;
            return;
        }
        PrType requested = validType(scope, typeCode);
        PrType old = type;
        if (type.allRegistrants()) {
            removeRegistrations(nexus, 0, true);
        } else {
            removeRegistrations(nexus, victimKey, false);
        }
        type = requested;
        holder = requested.allRegistrants() ? null : nexus;
        if (old != requested) {
            raiseForRegistrants(nexus, Asc.RESERVATIONS_RELEASED);
        }
        generation++;
    }

    /** Removes registrations with {@code victimKey} (or all, if {@code all}) other than the preemptor's. */
    private int removeRegistrations(Nexus preemptor, long victimKey, boolean all) {
        List<Nexus> victims = new ArrayList<>();
        for (Map.Entry<Nexus, Long> e : registrations.entrySet()) {
            if (!e.getKey().equals(preemptor) && (all || e.getValue() == victimKey)) {
                victims.add(e.getKey());
            }
        }
        for (Nexus v : victims) {
            registrations.remove(v);
            unitAttentions.raise(v, Asc.REGISTRATIONS_PREEMPTED);
        }
        return victims.size();
    }

    private void requireRegistered(Nexus nexus, long key) throws ScsiException {
        Long existing = registrations.get(nexus);
        if (existing == null || existing != key) {
            throw ScsiException.reservationConflict();
        }
    }

    private static PrType validType(int scope, int typeCode) throws ScsiException {
        if (scope != 0) {
            throw ScsiException.invalidFieldInCdb(2, 4);
        }
        PrType t = PrType.of(typeCode);
        if (t == null) {
            throw ScsiException.invalidFieldInCdb(2, 0);
        }
        return t;
    }

    private void raiseForRegistrants(Nexus except, int ascAscq) {
        for (Nexus n : registrations.keySet()) {
            if (!n.equals(except)) {
                unitAttentions.raise(n, ascAscq);
            }
        }
    }

    // ---- PERSISTENT RESERVE IN -------------------------------------------------------------

    public synchronized byte[] readKeys() {
        byte[] out = new byte[8 + 8 * registrations.size()];
        Cdb.put32(out, 0, generation & 0xffffffffL);
        Cdb.put32(out, 4, 8L * registrations.size());
        int p = 8;
        for (long key : registrations.values()) {
            Cdb.put64(out, p, key);
            p += 8;
        }
        return out;
    }

    public synchronized byte[] readReservation() {
        if (type == null) {
            byte[] out = new byte[8];
            Cdb.put32(out, 0, generation & 0xffffffffL);
            return out;
        }
        byte[] out = new byte[24];
        Cdb.put32(out, 0, generation & 0xffffffffL);
        Cdb.put32(out, 4, 16);
        Cdb.put64(out, 8, type.allRegistrants() ? 0 : registrations.get(holder));
        out[21] = (byte) type.code;
        return out;
    }

    public static byte[] reportCapabilities() {
        byte[] out = new byte[8];
        Cdb.put16(out, 0, 8);
        out[2] = 0x10;                // CRH: RESERVE/RELEASE(6/10) handled as SPC-3 allows
        out[3] = (byte) 0x80;         // TMV: the type mask is valid
        int mask = 0;
        for (PrType t : PrType.values()) {
            mask |= t.capabilityBit;
        }
        Cdb.put16(out, 4, mask);
        return out;
    }

    public synchronized byte[] readFullStatus() {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (Map.Entry<Nexus, Long> e : registrations.entrySet()) {
            byte[] transportId = transportId(e.getKey());
            byte[] d = new byte[24 + transportId.length];
            Cdb.put64(d, 0, e.getValue());
            if (isHolder(e.getKey())) {
                d[12] = 0x01;
                d[13] = (byte) type.code;
            }
            Cdb.put16(d, 18, relativeTargetPortId);
            Cdb.put32(d, 20, transportId.length);
            System.arraycopy(transportId, 0, d, 24, transportId.length);
            descriptors.writeBytes(d);
        }
        byte[] body = descriptors.toByteArray();
        byte[] out = new byte[8 + body.length];
        Cdb.put32(out, 0, generation & 0xffffffffL);
        Cdb.put32(out, 4, body.length);
        System.arraycopy(body, 0, out, 8, body.length);
        return out;
    }

    /** iSCSI TransportID with the initiator port name (format 01b: name,i,0xISID). */
    static byte[] transportId(Nexus nexus) {
        byte[] name = nexus.initiatorPort().getBytes(StandardCharsets.UTF_8);
        int padded = (name.length + 1 + 3) & ~3;
        byte[] id = new byte[4 + padded];
        id[0] = 0x45;
        Cdb.put16(id, 2, padded);
        System.arraycopy(name, 0, id, 4, name.length);
        return id;
    }

    public synchronized int generation() {
        return generation;
    }
}
