package io.warden.client.internal;

import io.warden.client.Watcher;
import java.util.Objects;

/**
 * A watcher to register when a call's reply arrives: under {@code onOk} if it succeeded, under
 * {@code onNoNode} (null: nowhere) if it failed with NoNode — exists leaves an exist watch on a
 * missing node, getData and getChildren leave none (reference §11.4).
 */
public record WatchRegistration(String clientPath, Watcher watcher, WatchKind onOk,
    WatchKind onNoNode) {
  public WatchRegistration {
    Objects.requireNonNull(clientPath, "clientPath");
    Objects.requireNonNull(watcher, "watcher");
    Objects.requireNonNull(onOk, "onOk");
  }
}
