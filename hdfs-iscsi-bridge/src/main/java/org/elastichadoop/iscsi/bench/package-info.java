/**
 * Benchmark programs beside the bridge; nothing here is used by the bridge itself ({@code MapBench} is bin/map-bench).
 *
 * <p>{@code bin/iscsi-bench}: our iSCSI target against tgt on this machine, with the same initiator tools (qemu-img bench,
 * libiscsi's iscsi-perf) and the same LUN size and fill. {@link org.elastichadoop.iscsi.bench.IscsiBench} reads the
 * options and runs the comparison; each {@link org.elastichadoop.iscsi.bench.Target} starts one target (tgt, the bridge
 * on a file, the bridge on a log volume kept on zk-kv-store nodes) through zk-kv-store's process fixture
 * ({@link org.elastichadoop.kv.procs}); {@link org.elastichadoop.iscsi.bench.Loads} runs the external load tools;
 * {@link org.elastichadoop.iscsi.bench.Report} prints the tables.
 */
package org.elastichadoop.iscsi.bench;
