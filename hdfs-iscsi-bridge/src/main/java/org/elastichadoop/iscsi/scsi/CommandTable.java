package org.elastichadoop.iscsi.scsi;

import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dispatch table from operation code (and service action) to {@link CommandEntry}.
 * {@link StandardCommands#table()} fills it with every command this layer implements.
 */
public final class CommandTable {

    /** Opcode → (service action or -1) → entry. */
    private final Map<Integer, Map<Integer, CommandEntry>> entries = new TreeMap<>();

    public void add(int opcode, int serviceAction, String name, Access access, CommandEntry.Kind kind,
                    Command command, int... usage) {
        byte[] u = new byte[usage.length];
        for (int i = 0; i < usage.length; i++) {
            u[i] = (byte) usage[i];
        }
        if (u.length == 0 || (u[0] & 0xff) != opcode) {
            throw new IllegalArgumentException(name + ": usage data must start with the opcode");
        }
        Map<Integer, CommandEntry> byAction = entries.computeIfAbsent(opcode, k -> new TreeMap<>());
        if (byAction.containsKey(-1) || (serviceAction < 0 && !byAction.isEmpty())) {
            throw new IllegalArgumentException(name + ": opcode " + opcode + " mixes service actions");
        }
        byAction.put(serviceAction, new CommandEntry(opcode, serviceAction, name, access, kind, u, command));
    }

    /**
     * The entry for {@code cdb}: INVALID COMMAND OPERATION CODE if the opcode is unknown,
     * INVALID FIELD IN CDB (byte 1) if its service action is.
     */
    public CommandEntry lookup(byte[] cdb) throws ScsiException {
        Map<Integer, CommandEntry> byAction = entries.get(cdb[0] & 0xff);
        if (byAction == null) {
            throw ScsiException.invalidOpcode();
        }
        CommandEntry plain = byAction.get(-1);
        if (plain != null) {
            return plain;
        }
        CommandEntry e = cdb.length > 1 ? byAction.get(Cdb.serviceAction(cdb)) : null;
        if (e == null) {
            throw ScsiException.invalidFieldInCdb(1, 4);
        }
        return e;
    }

    /** Whether the opcode uses service actions, or null if unknown. */
    public Boolean usesServiceActions(int opcode) {
        Map<Integer, CommandEntry> byAction = entries.get(opcode);
        return byAction == null ? null : !byAction.containsKey(-1);
    }

    public CommandEntry find(int opcode, int serviceAction) {
        Map<Integer, CommandEntry> byAction = entries.get(opcode);
        return byAction == null ? null : byAction.get(serviceAction);
    }

    /** All entries in opcode, service action order. */
    public List<CommandEntry> all() {
        List<CommandEntry> list = new ArrayList<>();
        for (Map<Integer, CommandEntry> m : entries.values()) {
            list.addAll(m.values());
        }
        return Collections.unmodifiableList(list);
    }
}
