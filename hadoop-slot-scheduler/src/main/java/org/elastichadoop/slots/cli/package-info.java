/**
 * bin/slotctl: {@link SlotCtl} and its commands, {@code controller} (runs a {@code Controller}), {@code status},
 * {@code replay} (the policy over recorded figures), {@code policy} (show, set or clear the policy in ZooKeeper) and
 * {@code pin}, {@code drain}, {@code release} (an operator's override of one tracker). {@link Zk} connects with a
 * one-line error, and {@link UserException} is a mistake printed as one line.
 *
 * <p>Uses {@code slots.controller}, {@code slots.zk}, {@code slots.allocation}, {@code slots.policy} and
 * {@code slots.source}; only {@code slots.yarn.cli} uses it ({@code Zk}, {@code UserException}). Left out of the Hadoop
 * jar.
 */
package org.elastichadoop.slots.cli;
