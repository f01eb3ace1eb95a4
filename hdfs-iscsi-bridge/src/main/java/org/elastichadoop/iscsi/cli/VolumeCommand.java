package org.elastichadoop.iscsi.cli;

import org.elastichadoop.iscsi.bridge.Sizes;
import org.elastichadoop.iscsi.bridge.VolumeStores;
import org.elastichadoop.iscsi.volume.log.CatalogException;
import org.elastichadoop.iscsi.volume.log.LogVolumes;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog;
import org.elastichadoop.iscsi.volume.log.VolumeRecord;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code iscsi-bridge volume create|list|resize|delete}: log-structured volumes in the catalog, and the store each is kept in. */
@Command(name = "volume", mixinStandardHelpOptions = true,
        description = "Creates, lists and grows log-structured volumes (kept on zk-kv-store or HDFS, recorded in ZooKeeper).",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.ListVolumes.class, VolumeCommand.Resize.class,
                VolumeCommand.Delete.class})
final class VolumeCommand {

    /** How listings name a volume's store. */
    static String storeOf(VolumeRecord r) {
        return r.store() == null ? "zk-kv-store" : r.store();
    }

    abstract static class WithCatalog implements Callable<Integer> {
        @Option(names = "--zk", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2181",
                description = "ZooKeeper of the zk-kv-store cluster (default ${DEFAULT-VALUE}).")
        String zk;

        @Override
        public Integer call() throws Exception {
            try (VolumeCatalog catalog = ZkVolumeCatalog.connect(zk)) {
                return run(catalog);
            } catch (CatalogException e) {
                throw new UserException(e.getMessage());
            }
        }

        abstract int run(VolumeCatalog catalog) throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an empty volume.")
    static final class Create extends WithCatalog {
        @Parameters(paramLabel = "NAME", description = "1-64 characters: letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--size", required = true, paramLabel = "SIZE", description = "Capacity, e.g. 10G.")
        String size;

        @Option(names = "--block-size", defaultValue = "512", description = "512 or 4096 (default ${DEFAULT-VALUE}).")
        int blockSize;

        @Option(names = "--store", paramLabel = "URI",
                description = "Where its data is kept: hdfs://NAMENODE:PORT/PATH (or hdfs://NAMESERVICE/PATH under NameNode HA; "
                        + "the client configuration comes from HADOOP_CONF_DIR). Default: the zk-kv-store cluster of --zk.")
        String store;

        @Override
        int run(VolumeCatalog catalog) throws Exception {
            if (store != null) {
                try (VolumeStores stores = new VolumeStores(zk)) {
                    stores.forUri(store); // reachable and writable before the volume is recorded
                } catch (java.io.IOException | RuntimeException e) {
                    throw new UserException("--store " + store + ": " + e.getMessage());
                }
            }
            VolumeRecord r = LogVolumes.create(catalog, name, Sizes.parse(size), blockSize, store);
            System.out.printf("created volume %s: %d bytes in blocks of %d (id %s) on %s%n", r.name(), r.sizeBytes(), r.blockSize(), r.id(),
                    storeOf(r));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the volumes.")
    static final class ListVolumes extends WithCatalog {
        @Override
        int run(VolumeCatalog catalog) {
            System.out.printf("%-24s %14s %6s %6s %-24s %-24s %s%n", "NAME", "BYTES", "BLOCK", "EPOCH", "CREATED", "CHECKPOINT", "STORE");
            for (String name : catalog.list()) {
                catalog.read(name).ifPresent(v -> {
                    VolumeRecord r = v.record();
                    System.out.printf("%-24s %14d %6d %6d %-24s %-24s %s%n", r.name(), r.sizeBytes(), r.blockSize(), r.epoch(),
                            Instant.ofEpochMilli(r.createdMillis()), r.checkpoint() == null ? "-" : "after segment " + r.checkpoint().seq(),
                            storeOf(r));
                });
            }
            return 0;
        }
    }

    @Command(name = "resize", mixinStandardHelpOptions = true, description = "Grows a volume (bridges see it when they reopen it).")
    static final class Resize extends WithCatalog {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--size", required = true, paramLabel = "SIZE", description = "The new, larger capacity.")
        String size;

        @Override
        int run(VolumeCatalog catalog) {
            VolumeRecord r = LogVolumes.grow(catalog, name, Sizes.parse(size));
            System.out.printf("volume %s now has %d bytes%n", r.name(), r.sizeBytes());
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a volume and its stored data; a bridge serving it stops writing it.")
    static final class Delete extends WithCatalog {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(VolumeCatalog catalog) throws Exception {
            VolumeRecord r = catalog.read(name).orElseThrow(() -> new UserException("no volume named '" + name + "'")).record();
            try (VolumeStores stores = new VolumeStores(zk)) {
                int entries = LogVolumes.delete(catalog, stores.forVolume(r), name);
                System.out.printf("deleted volume %s (%d stored entries)%n", name, entries);
            }
            return 0;
        }
    }
}
