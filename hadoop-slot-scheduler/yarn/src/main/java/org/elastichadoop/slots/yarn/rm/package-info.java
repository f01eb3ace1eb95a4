/**
 * The ResourceManager as the applier uses it: {@link ResourceManagerAdmin} lists the running NodeManagers
 * ({@link NodeState}) over the client protocol and changes their resources in one batched updateNodeResource over the
 * admin protocol, both following the active RM under HA; a refusal for the admin ACL is an
 * {@link AdminRefusedException}.
 *
 * <p>Uses only {@code slots.yarn.capacity} ({@code NodeResources}); {@code slots.yarn.applier} and
 * {@code slots.yarn.cli} use it.
 */
package org.elastichadoop.slots.yarn.rm;
