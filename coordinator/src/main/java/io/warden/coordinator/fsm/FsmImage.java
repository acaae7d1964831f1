package io.warden.coordinator.fsm;

import io.warden.coordinator.session.Session;
import io.warden.coordinator.tree.DataTree;
import io.warden.coordinator.tree.TreeImage;
import io.warden.coordinator.util.Check;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state machine at one index, frozen: the session list (copied) and the tree image
 * (persistent roots, O(1)). {@link #write} may run on the snapshot thread while the core keeps
 * applying entries — nothing here is shared mutable state.
 *
 * <pre>
 * chunk 0        : magic "WFSM" version:int index:long sessionChunks:int
 * chunks 1..n    : sessions — count:int, then per session id:long timeoutMs:int password:buffer
 * chunks n+1..   : the tree image (TreeImage's own format)
 * </pre>
 */
public final class FsmImage {
  private static final int MAGIC = 0x5746534D; // "WFSM"
  private static final int VERSION = 1;

  private final long index;
  private final List<Session> sessions;
  private final TreeImage tree;

  FsmImage(long index, List<Session> sessions, TreeImage tree) {
    this.index = index;
    this.sessions = List.copyOf(sessions);
    this.tree = tree;
  }

  public long index() {
    return index;
  }

  public TreeImage tree() {
    return tree;
  }

  /** Streams the image as chunks of at most {@code chunkBytes} (the tree decides its own sizes). */
  public void write(int chunkBytes, Consumer<byte[]> sink) {
    JuteWriter s = new JuteWriter(16 + sessions.size() * 40);
    s.writeInt(sessions.size());
    for (Session session : sessions) {
      s.writeLong(session.sessionId()).writeInt(session.timeoutMs()).writeBuffer(session.password());
    }
    List<byte[]> sessionChunks = split(s.toByteArray(), chunkBytes);
    JuteWriter header = new JuteWriter(24);
    header.writeInt(MAGIC).writeInt(VERSION).writeLong(index).writeInt(sessionChunks.size());
    sink.accept(header.toByteArray());
    sessionChunks.forEach(sink);
    tree.write(chunkBytes, sink);
  }

  /** What a snapshot restores to. */
  public record Restored(long index, List<Session> sessions, DataTree tree) {
  }

  /** Reads an image written by {@link #write}; throws IllegalStateException naming what is wrong. */
  public static Restored read(Iterator<byte[]> chunks) {
    Check.state(chunks.hasNext(), "snapshot is empty");
    JuteReader h = new JuteReader(chunks.next());
    Check.state(h.readInt() == MAGIC, "snapshot does not start with the fsm header");
    int version = h.readInt();
    Check.state(version == VERSION, "unknown snapshot format version %d", version);
    long index = h.readLong();
    int sessionChunks = h.readInt();
    Check.state(sessionChunks >= 1, "snapshot has no session section");
    ByteArrayOutputStream sessionBytes = new ByteArrayOutputStream();
    for (int i = 0; i < sessionChunks; i++) {
      Check.state(chunks.hasNext(), "snapshot ends inside the session section");
      sessionBytes.writeBytes(chunks.next());
    }
    byte[] sb = sessionBytes.toByteArray();
    JuteReader r = new JuteReader(sb, 0, sb.length, Integer.MAX_VALUE);
    int n = r.readInt();
    Check.state(n >= 0, "negative session count");
    List<Session> sessions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sessions.add(new Session(r.readLong(), r.readInt(), r.readBuffer()));
    }
    Check.state(!r.hasRemaining(), "trailing bytes after the session section");
    return new Restored(index, sessions, DataTree.restore(chunks));
  }

  private static List<byte[]> split(byte[] bytes, int chunkBytes) {
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < bytes.length; off += chunkBytes) {
      out.add(Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chunkBytes)));
    }
    return out;
  }
}
