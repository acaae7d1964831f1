package io.warden.client;

/**
 * Receives watch events. Called on the client's event thread ({@code warden-client-events-N}), in
 * wire order with the completions of the client's stages; it may call the client, including its
 * blocking facade, without deadlock. A watcher that throws is logged and the thread carries on.
 *
 * <p>Watchers are compared with {@code equals}: registering the same watcher twice for one path
 * and kind is one registration, and one change calls it once even if it watches the node in
 * several ways (the Java client's rule).
 */
@FunctionalInterface
public interface Watcher {
  void process(WatchEvent event);
}
