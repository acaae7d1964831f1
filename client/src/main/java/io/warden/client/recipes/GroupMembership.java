package io.warden.client.recipes;

import io.warden.client.NodeData;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Group membership: who is in the group now, and who joins and leaves. A member is the ephemeral
 * node {@code <group>/<memberId>} (its data is free for the member to use); the live view is a
 * {@link TreeCache} of the group.
 *
 * <p><b>Guarantees.</b> A member is listed exactly while its session holds its node; one id is
 * one member (joining with an id in use by another session fails with NodeExists). The view is
 * eventually consistent; listeners hear joins and leaves in the order the cache saw them.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: this member stays in the group while its session lives
 * (others still see it); the view may be stale until RECONNECTED. Session loss: this member
 * leaves the group (others hear {@code left}); rejoin with a new client. GC pause longer than the
 * session: others see this member leave, and it does not know until it runs again — check
 * {@link #isMember()} (false unless connected) before acting as a member.
 */
public final class GroupMembership implements AutoCloseable {
  /** Told of membership changes, on the cache thread. */
  public interface Listener {
    void joined(String memberId, byte[] data);

    void left(String memberId);
  }

  private final WardenClient client;
  private final String groupPath;
  private final TreeCache cache;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile String joinedAs;

  public GroupMembership(WardenClient client, String groupPath) {
    this.client = Objects.requireNonNull(client, "client");
    this.groupPath = RecipePaths.validate(groupPath);
    this.cache = new TreeCache(client, groupPath);
    cache.addListener(this::onEvent);
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Starts the live view (creating the group node if needed). */
  public GroupMembership start() throws WardenException, InterruptedException {
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), groupPath);
    cache.start(Duration.ofSeconds(30));
    return this;
  }

  /** Joins as {@code memberId}; NodeExists if another session uses that id. */
  public void join(String memberId, byte[] data) throws WardenException, InterruptedException {
    RecipePaths.validateName(memberId, "memberId");
    if (joinedAs != null) {
      throw new IllegalStateException("already joined " + groupPath + " as " + joinedAs);
    }
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), groupPath);
    String node = RecipePaths.child(groupPath, memberId);
    client.retryPolicy().call(() -> {
      try {
        client.blocking().create(node, data, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      } catch (WardenException e) {
        // a lost reply may have created it: ours if our session owns it
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
        io.warden.protocol.Stat stat = client.blocking().exists(node);
        if (stat == null || stat.ephemeralOwner() != client.sessionId()) {
          throw e;
        }
      }
      return null;
    });
    joinedAs = memberId;
  }

  /** Leaves the group (deletes our node). */
  public void leave() throws WardenException, InterruptedException {
    String id = joinedAs;
    if (id == null) {
      throw new IllegalStateException("not a member of " + groupPath);
    }
    joinedAs = null;
    RecipePaths.deleteIfExists(client, RecipePaths.child(groupPath, id));
  }

  /** True while joined and connected. */
  public boolean isMember() {
    return joinedAs != null && client.state() != null && client.state().isConnected();
  }

  /** The current members and their data, by id (live view; empty before start). */
  public Map<String, byte[]> members() {
    Map<String, byte[]> members = new LinkedHashMap<>();
    for (String id : cache.children(groupPath)) {
      NodeData data = cache.get(RecipePaths.child(groupPath, id));
      if (data != null) {
        members.put(id, data.data());
      }
    }
    return members;
  }

  /** Closes the view and leaves the group if joined. */
  @Override
  public void close() throws WardenException, InterruptedException {
    cache.close();
    if (joinedAs != null && !client.state().isTerminal()) {
      leave();
    }
  }

  private void onEvent(TreeCache.Event event) {
    String p = event.path();
    if (!p.startsWith(groupPath + "/") || p.indexOf('/', groupPath.length() + 1) >= 0) {
      return; // the group node itself, or deeper than a member
    }
    String id = p.substring(groupPath.length() + 1);
    for (Listener l : listeners) {
      switch (event.type()) {
        case ADDED -> l.joined(id, event.data().data());
        case REMOVED -> l.left(id);
        default -> {
          // a member changing its own data is not a membership change
        }
      }
    }
  }
}
