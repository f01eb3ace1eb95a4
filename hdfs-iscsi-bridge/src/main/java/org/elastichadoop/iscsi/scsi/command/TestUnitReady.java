package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/** TEST UNIT READY (SPC-4 6.47): always ready; unit attentions are reported before it runs. */
public final class TestUnitReady implements Command {

    public static void register(CommandTable t) {
        t.add(0x00, -1, "TEST UNIT READY", Access.ALLOWED_UNLESS_SPC2, Kind.METADATA, new TestUnitReady(),
                0x00, 0x00, 0x00, 0x00, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) {
        return ScsiResult.good();
    }
}
