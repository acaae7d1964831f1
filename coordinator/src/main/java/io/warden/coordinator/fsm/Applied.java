package io.warden.coordinator.fsm;

import io.warden.coordinator.tree.Change;
import java.util.List;

/**
 * The result of applying the entry at {@code zxid}: the outcome for its proposer (identified by
 * {@code origin}) and the watch-relevant changes every node fires for its own clients.
 */
public record Applied(long zxid, CommandCodec.Origin origin, Outcome outcome, List<Change> changes) {
}
