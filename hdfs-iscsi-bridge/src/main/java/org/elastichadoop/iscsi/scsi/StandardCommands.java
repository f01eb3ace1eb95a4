package org.elastichadoop.iscsi.scsi;

import org.elastichadoop.iscsi.scsi.command.CompareAndWrite;
import org.elastichadoop.iscsi.scsi.command.GetLbaStatus;
import org.elastichadoop.iscsi.scsi.command.Inquiry;
import org.elastichadoop.iscsi.scsi.command.ModeSelect;
import org.elastichadoop.iscsi.scsi.command.ModeSense;
import org.elastichadoop.iscsi.scsi.command.OrWrite;
import org.elastichadoop.iscsi.scsi.command.PersistentReserveIn;
import org.elastichadoop.iscsi.scsi.command.PersistentReserveOut;
import org.elastichadoop.iscsi.scsi.command.PreFetch;
import org.elastichadoop.iscsi.scsi.command.Read;
import org.elastichadoop.iscsi.scsi.command.ReadCapacity;
import org.elastichadoop.iscsi.scsi.command.ReadDefectData;
import org.elastichadoop.iscsi.scsi.command.Release;
import org.elastichadoop.iscsi.scsi.command.ReportLuns;
import org.elastichadoop.iscsi.scsi.command.ReportSupportedOpcodes;
import org.elastichadoop.iscsi.scsi.command.RequestSense;
import org.elastichadoop.iscsi.scsi.command.Reserve;
import org.elastichadoop.iscsi.scsi.command.StartStopUnit;
import org.elastichadoop.iscsi.scsi.command.SynchronizeCache;
import org.elastichadoop.iscsi.scsi.command.TestUnitReady;
import org.elastichadoop.iscsi.scsi.command.Unmap;
import org.elastichadoop.iscsi.scsi.command.Verify;
import org.elastichadoop.iscsi.scsi.command.Write;
import org.elastichadoop.iscsi.scsi.command.WriteAndVerify;
import org.elastichadoop.iscsi.scsi.command.WriteSame;

/** Every command a {@link BlockDevice} implements: the place to look when adding one. */
public final class StandardCommands {

    private StandardCommands() {}

    public static CommandTable table() {
        CommandTable t = new CommandTable();
        // SPC-4
        TestUnitReady.register(t);
        RequestSense.register(t);
        Inquiry.register(t);
        ModeSelect.register(t);
        ModeSense.register(t);
        Reserve.register(t);
        Release.register(t);
        PersistentReserveIn.register(t);
        PersistentReserveOut.register(t);
        ReportLuns.register(t);
        ReportSupportedOpcodes.register(t);
        // SBC-3
        Read.register(t);
        Write.register(t);
        WriteAndVerify.register(t);
        Verify.register(t);
        OrWrite.register(t);
        CompareAndWrite.register(t);
        WriteSame.register(t);
        Unmap.register(t);
        SynchronizeCache.register(t);
        PreFetch.register(t);
        ReadCapacity.register(t);
        GetLbaStatus.register(t);
        StartStopUnit.register(t);
        ReadDefectData.register(t);
        return t;
    }
}
