package io.warden.it.faults;

import java.util.List;

/**
 * What the workloads need from a client session, implemented once over the official ZooKeeper
 * client ({@link ZkStore}) and once over Warden's own ({@link WardenStore}), so every workload
 * runs on both. Errors are classified the way a history needs them ({@link StoreException}).
 */
interface Store extends AutoCloseable {
  /** Data and the Stat fields the checkers use. */
  record Read(byte[] data, long mzxid, int version) {
  }

  enum CreateKind { PERSISTENT, SEQUENTIAL, EPHEMERAL }

  long sessionId();

  String clientName();

  /** getData, after a sync of the same path when {@code sync} (linearizable read, DESIGN.md D8). */
  Read read(String path, boolean sync) throws StoreException, InterruptedException;

  /** setData with an expected version; the new Stat. */
  Read write(String path, byte[] data, int version) throws StoreException, InterruptedException;

  /** The created path (the server-chosen name for sequential creates). */
  String create(String path, byte[] data, CreateKind kind) throws StoreException, InterruptedException;

  /** multi(check(path, version), setData(path, data, version)): the new Stat. */
  Read checkAndSet(String path, int version, byte[] data) throws StoreException, InterruptedException;

  /** delete with an expected version. */
  void delete(String path, int version) throws StoreException, InterruptedException;

  /** getChildren, after a sync when {@code sync}. */
  List<String> children(String path, boolean sync) throws StoreException, InterruptedException;

  @Override
  void close();
}
