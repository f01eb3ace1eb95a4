package org.elastichadoop.iscsi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.elastichadoop.kv.procs.Program;
import org.elastichadoop.kv.procs.ProgramNotReadyException;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * "tgt": tgtd (the Linux SCSI target framework) serving DIR/tgt.img, on its own control port so that a system tgtd is
 * left alone. tgtd ignores SIGTERM while it has targets: it is stopped by deleting its target and then its system.
 */
final class TgtTarget implements Target {
    private final BenchConfig cfg;
    private final CommandLog commands;
    private RunningProgram tgtd;
    private boolean configured;

    TgtTarget(BenchConfig cfg, CommandLog commands) {
        this.cfg = cfg;
        this.commands = commands;
    }

    /** tgtadm on the benchmark's control port. */
    static List<String> tgtadm(int control, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(control), "--lld", "iscsi"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Whether a tgtd answers on the control port. */
    static boolean controlPortAnswers(int control) throws Exception {
        return CommandLog.succeeds(tgtadm(control, "--op", "show", "--mode", "system"), 10);
    }

    @Override
    public String key() {
        return "tgt";
    }

    @Override
    public String url() {
        return "iscsi://" + BenchConfig.HOST + ":" + cfg.tgtPort() + "/" + cfg.iqns().tgt() + "/" + cfg.iqns().tgtLun();
    }

    @Override
    public void start() throws Exception {
        Path log = cfg.logDir().resolve("tgtd.log");
        int control = cfg.tgtControl();
        List<String> cmd = List.of("tgtd", "-f", "-C", Integer.toString(control), "--iscsi", "portal=" + BenchConfig.HOST + ":" + cfg.tgtPort());
        commands.record("tgt start", cmd);
        Progress.log("tgt: starting tgtd on " + BenchConfig.HOST + ":" + cfg.tgtPort() + " (control port " + control + ", log " + log + ")");
        tgtd = Program.of("tgtd", cmd, log).ownSession().freshLog().start();
        try {
            tgtd.await("its control port " + control + " answered", Duration.ofSeconds(10), () -> controlPortAnswers(control));
        } catch (ProgramNotReadyException e) {
            throw new BenchException("tgtd did not come up (another tgtd on control port " + control + "? try --tgt-control): " + e.getMessage());
        }
        configured = true;
        for (List<String> setup : List.of(
                tgtadm(control, "--op", "new", "--mode", "target", "--tid", "1", "-T", cfg.iqns().tgt()),
                tgtadm(control, "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", Integer.toString(cfg.iqns().tgtLun()),
                        "-b", cfg.dir().resolve("tgt.img").toString(), "--blocksize", Integer.toString(cfg.blockSize())),
                tgtadm(control, "--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL"))) {
            commands.record("tgt setup", setup);
            commands.run(setup);
        }
        tgtd.await("it accepted iSCSI connections on " + BenchConfig.HOST + ":" + cfg.tgtPort(), cfg.startTimeout(),
                () -> Loads.portalUp(cfg.tgtPort()));
    }

    @Override
    public List<Role> roles() {
        return List.of(new Role("tgtd", List.of(tgtd)));
    }

    @Override
    public void close() {
        if (tgtd == null) return;
        try {
            stop();
        } catch (InterruptedException e) {
            tgtd.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tgtd = null;
        // tgtd leaves its control socket and lock file behind
        int control = cfg.tgtControl();
        try {
            Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + control));
            Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + control + ".lock"));
        } catch (java.io.IOException e) {
            Progress.log("tgt: cannot remove tgtd's control socket: " + e.getMessage());
        }
    }

    private void stop() throws InterruptedException {
        Progress.log("tgt: stopping tgtd (pid " + tgtd.pid() + ")");
        int control = cfg.tgtControl();
        // only talk to the control port while our tgtd lives: it may belong to another tgtd otherwise
        if (tgtd.isAlive()) {
            try {
                if (configured) CommandLog.succeeds(tgtadm(control, "--op", "delete", "--mode", "target", "--tid", "1", "--force"), 30);
                CommandLog.succeeds(tgtadm(control, "--op", "delete", "--mode", "system"), 30);
            } catch (java.io.IOException e) {
                Progress.log("tgt: tgtadm failed (" + e.getMessage() + "); killing tgtd");
            }
            if (!tgtd.waitFor(Duration.ofSeconds(10))) Progress.log("tgt: tgtd still running after tgtadm delete; killing it");
        }
        tgtd.kill();
    }
}
