/**
 * {@link YarnCommand}: {@code bin/slotctl yarn}, which runs the applier on this module's class path.
 *
 * <p>Uses {@code slots.yarn.applier}, {@code slots.yarn.rm}, {@code slots.controller} (configuration) and
 * {@code slots.cli} ({@code Zk}, {@code UserException}); nothing depends on it.
 */
package org.elastichadoop.slots.yarn.cli;
