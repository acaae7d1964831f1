package io.warden.client.recipes;

import io.warden.client.WardenClient;
import java.util.List;

/**
 * A distributed read-write lock: any number of readers or one writer (ZooKeeper's shared-lock
 * recipe). Readers and writers queue in one directory in arrival order; a writer holds the lock
 * when it is first in line and watches its immediate predecessor; a reader holds it when no writer
 * is ahead of it and otherwise watches the nearest writer ahead (readers between two writers all
 * proceed together when that writer leaves; nobody watches the whole directory). Fair: a waiting
 * writer blocks readers that arrive after it.
 *
 * <p>Both locks are {@link Mutex} objects with the guarantees and failure behaviour described
 * there (protected nodes, fencing token = lock node's czxid, {@code isHeld()} false while SUSPENDED
 * and after session loss). A write lock's token is larger than every earlier holder's, read or
 * write.
 */
public final class ReadWriteLock {
  private static final String READ = "read-";
  private static final String WRITE = "write-";
  private final Mutex readLock;
  private final Mutex writeLock;

  public ReadWriteLock(WardenClient client, String path) {
    this.readLock = new Mutex(client, path, READ, ReadWriteLock::readBlocker);
    this.writeLock = new Mutex(client, path, WRITE, SequentialLock.Rule.EXCLUSIVE);
  }

  public Mutex readLock() {
    return readLock;
  }

  public Mutex writeLock() {
    return writeLock;
  }

  private static String readBlocker(List<String> sorted, int ourIndex) {
    for (int i = ourIndex - 1; i >= 0; i--) {
      String name = sorted.get(i);
      if (isWriter(name)) {
        return name;
      }
    }
    return null;
  }

  /** {@code _c_<36-char guid>-write-<seq>}: the prefix sits right after the GUID. */
  private static boolean isWriter(String name) {
    int start = ProtectedCreate.MARKER.length() + 36 + 1;
    return name.startsWith(WRITE, start);
  }
}
