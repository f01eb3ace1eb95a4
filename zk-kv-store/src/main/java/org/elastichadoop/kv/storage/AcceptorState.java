package org.elastichadoop.kv.storage;

/**
 * A replica's part in deciding one key: what it holds ({@code held}, null when nothing) and the highest ballot
 * it promised to respect ({@code promised}, -1 when none). See {@link Ballots} for what a ballot is.
 */
public record AcceptorState(EntryMeta held, long promised) {
}
