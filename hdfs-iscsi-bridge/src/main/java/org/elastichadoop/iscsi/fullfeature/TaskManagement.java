package org.elastichadoop.iscsi.fullfeature;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.pdu.TaskManagementRequest;
import org.elastichadoop.iscsi.pdu.TaskManagementResponse;
import org.elastichadoop.iscsi.scsi.LogicalUnit;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.Session;

import java.util.concurrent.CompletableFuture;

/**
 * Task management functions (RFC 7143 section 11.5). Aborted commands never get a response; the
 * function's own response goes out once none of them is still executing.
 */
final class TaskManagement {
    private static final Logger LOG = LogManager.getLogger(TaskManagement.class);

    private final Session session;
    private final Connection connection;
    private final ScsiCommands commands;

    TaskManagement(Session session, Connection connection, ScsiCommands commands) {
        this.session = session;
        this.connection = connection;
        this.commands = commands;
    }

    void handle(TaskManagementRequest request) {
        int lun = Luns.decode(request.lun());
        var scsi = session.target().scsi();
        switch (request.function()) {
            case TaskManagementRequest.ABORT_TASK -> {
                ScsiTask task = commands.find(request.referencedTaskTag());
                if (task == null || task.lun != lun) {
                    respond(request, TaskManagementResponse.TASK_DOES_NOT_EXIST);
                    return;
                }
                LOG.info("{} aborts task 0x{} on LUN {}", who(), Integer.toHexString(request.referencedTaskTag()), lun);
                after(commands.abort(t -> t == task), request, TaskManagementResponse.FUNCTION_COMPLETE);
            }
            case TaskManagementRequest.ABORT_TASK_SET, TaskManagementRequest.CLEAR_TASK_SET -> {
                if (scsi.unit(lun) == null) {
                    respond(request, TaskManagementResponse.LUN_DOES_NOT_EXIST);
                    return;
                }
                LOG.info("{} {} on LUN {}", who(), request.function() == TaskManagementRequest.ABORT_TASK_SET
                        ? "aborts its task set" : "clears the task set", lun);
                CompletableFuture<Void> done = commands.abort(t -> t.lun == lun);
                if (request.function() == TaskManagementRequest.CLEAR_TASK_SET) scsi.taskSetCleared(session.nexus(), lun);
                after(done, request, TaskManagementResponse.FUNCTION_COMPLETE);
            }
            case TaskManagementRequest.LOGICAL_UNIT_RESET -> {
                if (scsi.unit(lun) == null) {
                    respond(request, TaskManagementResponse.LUN_DOES_NOT_EXIST);
                    return;
                }
                LOG.info("{} resets LUN {}", who(), lun);
                CompletableFuture<Void> done = commands.abort(t -> t.lun == lun);
                scsi.reset(session.nexus(), LogicalUnit.ResetKind.LOGICAL_UNIT, (long) lun);
                after(done, request, TaskManagementResponse.FUNCTION_COMPLETE);
            }
            case TaskManagementRequest.TARGET_WARM_RESET, TaskManagementRequest.TARGET_COLD_RESET -> {
                boolean cold = request.function() == TaskManagementRequest.TARGET_COLD_RESET;
                LOG.info("{} requests a target {} reset of {}", who(), cold ? "cold" : "warm", session.target().name());
                CompletableFuture<Void> done = commands.abort(t -> true);
                scsi.reset(session.nexus(), cold ? LogicalUnit.ResetKind.TARGET_COLD : LogicalUnit.ResetKind.TARGET_WARM, null);
                after(done, request, TaskManagementResponse.FUNCTION_COMPLETE);
                if (cold) {
                    // a cold reset ends every connection of the initiator (RFC 7143 section 11.5.1)
                    done.whenComplete((v, e) -> connection.channel().eventLoop().execute(() -> connection.channel().close()));
                }
            }
            case TaskManagementRequest.TASK_REASSIGN -> respond(request, TaskManagementResponse.REASSIGNMENT_NOT_SUPPORTED);
            default -> respond(request, TaskManagementResponse.FUNCTION_NOT_SUPPORTED);
        }
    }

    private void after(CompletableFuture<Void> done, TaskManagementRequest request, int response) {
        done.whenComplete((v, e) -> connection.channel().eventLoop().execute(() -> {
            connection.send(new TaskManagementResponse(request.itt(), response));
            connection.channel().flush();
        }));
    }

    private void respond(TaskManagementRequest request, int response) {
        connection.send(new TaskManagementResponse(request.itt(), response));
    }

    private String who() {
        return session.nexus().initiatorName() + " (session " + session.tsih() + ")";
    }
}
