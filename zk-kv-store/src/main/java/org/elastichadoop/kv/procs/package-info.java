/**
 * Programs started as processes on this machine, for benchmarks and tests: one fixture for "start it, wait for its
 * ready line, keep its pid, stop it". A {@link org.elastichadoop.kv.procs.Program} says how to run one (command line,
 * environment, log file); {@link org.elastichadoop.kv.procs.RunningProgram} is one started, with its pid, a wait for a
 * line in its log that fails with the log's tail, and a stop (SIGTERM, then SIGKILL). {@link
 * org.elastichadoop.kv.procs.KvCluster} is a ZooKeeper and N kv nodes built on them; {@link
 * org.elastichadoop.kv.procs.ProcessCpu} reads what a process tree spent on the CPUs.
 *
 * <p>Nothing here depends on the store's other packages: the programs to run are given as {@link
 * org.elastichadoop.kv.procs.Launcher}s (a bin/ script, or a main class on a class path).
 */
package org.elastichadoop.kv.procs;
