package io.warden.coordinator.admin;

import io.vertx.core.Future;
import io.warden.coordinator.net.ClientServer;
import java.util.Set;

/**
 * Four-letter words on the client port (reference §13), gated by
 * {@code 4lw.commands.whitelist}: a known command outside the whitelist gets ZooKeeper's
 * one-line refusal; an unknown word just closes the connection, as ZooKeeper's "Len error".
 */
public final class FourLetterWordHandler implements ClientServer.FourLetterWords {
  private final AdminCommands commands;
  private final Set<String> whitelist;

  /** @param whitelist allowed command names; containing "*" allows all */
  public FourLetterWordHandler(AdminCommands commands, Set<String> whitelist) {
    this.commands = commands;
    this.whitelist = Set.copyOf(whitelist);
  }

  @Override
  public Future<String> run(String word) {
    if (!AdminCommands.NAMES.contains(word)) {
      return null;
    }
    if (!whitelist.contains("*") && !whitelist.contains(word)) {
      return Future.succeededFuture(word + " is not executed because it is not in the whitelist.\n");
    }
    return Future.fromCompletionStage(commands.text(word));
  }
}
