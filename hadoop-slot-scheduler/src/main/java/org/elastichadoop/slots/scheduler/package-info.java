/**
 * The JobTracker side, behind {@code org.apache.hadoop.mapred.ElasticTaskScheduler}: {@link AllocationFollower} follows
 * the allocations in ZooKeeper (a Curator cache) and answers, without waiting or throwing, the {@link SlotCaps} a
 * tracker may use now; {@link Preemption} picks the task attempts to kill when a tracker runs over its allocation.
 * {@link SchedulerSettings} are the mapred-site.xml keys, {@link Remedy} and {@link ShadedLibrariesLog} serve both
 * daemon hooks.
 *
 * <p>Uses {@code slots.allocation} and {@code slots.zk}; {@code org.apache.hadoop.mapred}, {@code slots.tracker} and
 * the benchmark use it. It runs inside Hadoop 1 daemons, so it must not use {@code slots.controller} or
 * {@code slots.cli}, which the Hadoop jar leaves out.
 */
package org.elastichadoop.slots.scheduler;
