package io.warden.coordinator.raft;

import io.warden.coordinator.util.Check;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who takes part in the group: voters decide elections and commits, learners (ZooKeeper's
 * observers) only receive the log. Server ids are 1…255 (the top byte of session ids, as in
 * ZooKeeper).
 */
public record Membership(Set<Integer> voters, Set<Integer> learners) {
  private static final byte FORMAT = 1;

  public Membership {
    // Sorted, not Set.copyOf: immutable sets iterate in an order salted per JVM, and the core
    // iterates voters (vote requests go out in that order) — a seed must replay exactly.
    voters = Collections.unmodifiableSet(new TreeSet<>(voters));
    learners = Collections.unmodifiableSet(new TreeSet<>(learners));
    Check.argument(!voters.isEmpty(), "a group needs at least one voter");
    for (int id : voters) {
      Check.argument(id >= 1 && id <= 255, "server id out of range 1..255: %d", id);
      Check.argument(!learners.contains(id), "server %d is both voter and learner", id);
    }
    for (int id : learners) {
      Check.argument(id >= 1 && id <= 255, "server id out of range 1..255: %d", id);
    }
  }

  public static Membership single(int serverId) {
    return new Membership(Set.of(serverId), Set.of());
  }

  /** Votes needed to win an election or commit an entry (a strict majority of voters). */
  public int quorum() {
    return voters.size() / 2 + 1;
  }

  public boolean isVoter(int serverId) {
    return voters.contains(serverId);
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 * voters.size() + 4 + 4 * learners.size());
    b.put(FORMAT);
    b.putInt(voters.size());
    new TreeSet<>(voters).forEach(b::putInt);
    b.putInt(learners.size());
    new TreeSet<>(learners).forEach(b::putInt);
    return b.array();
  }

  public static Membership decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    Check.state(b.remaining() >= 9 && b.get() == FORMAT, "unknown membership format");
    Set<Integer> voters = readIds(b);
    Set<Integer> learners = readIds(b);
    Check.state(!b.hasRemaining(), "trailing bytes after membership");
    return new Membership(voters, learners);
  }

  private static Set<Integer> readIds(ByteBuffer b) {
    int n = b.getInt();
    Check.state(n >= 0 && n <= 255 && b.remaining() >= 4 * n, "bad membership id count %d", n);
    Set<Integer> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(b.getInt());
    }
    return ids;
  }
}
