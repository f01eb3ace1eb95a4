package org.elastichadoop.slots.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code slotctl}: runs the elastic-slots controller and shows or explains its allocations. */
@Command(name = "slotctl", mixinStandardHelpOptions = true,
        subcommands = {ControllerCommand.class, StatusCommand.class, ReplayCommand.class, OverrideCommands.Pin.class,
                OverrideCommands.Drain.class, OverrideCommands.Release.class, PolicyCommand.class},
        description = {"Elastic MapReduce slots: the controller, and what it decided.",
                "  slotctl controller --zk HOST:PORT --config FILE   run a controller (one is active, others stand by)",
                "  slotctl status [--zk HOST:PORT] [--json]          the allocation of each tracker",
                "  slotctl replay FILE [--config FILE] [--json]      what the policy decides over recorded figures",
                "  slotctl yarn --zk HOST:PORT --config FILE         apply allocations to YARN NodeManagers (Hadoop 3)",
                "  slotctl pin TRACKER --maps N --reduces M | drain TRACKER | release TRACKER",
                "  slotctl policy show | set KEY=VALUE... | clear"})
public final class SlotCtl implements Runnable {

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SlotCtl());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserException || e instanceof java.io.IOException || e instanceof IllegalArgumentException
                    || e instanceof org.elastichadoop.slots.controller.ConfigException) {
                line.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
