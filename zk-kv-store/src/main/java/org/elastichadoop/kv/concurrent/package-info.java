/**
 * Helpers for {@link java.util.concurrent.CompletableFuture}s, shared by the store and the bridge:
 * {@link Futures#cause} finds the failure behind CompletionException and ExecutionException wrappers, and
 * {@link Futures#await} waits for a value with a timeout and reports any failure as an IOException that names what was
 * awaited.
 *
 * <p>The bottom of the module: it uses no other package of ours, and any package may use it.
 */
package org.elastichadoop.kv.concurrent;
