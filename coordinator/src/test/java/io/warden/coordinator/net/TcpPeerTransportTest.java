package io.warden.coordinator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.badinput.LogCapture;
import io.warden.coordinator.node.PeerMessage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpPeerTransportTest {
  private final Map<Integer, PeerEndpoint> directory = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.attach();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    logs.detach();
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private TestPeer peer(int id, int members) {
    return track(TestPeer.start(id, TestPeer.members(members), directory));
  }

  private static PeerMessage.Forward forward(int from, int to, long seq) {
    return new PeerMessage.Forward(from, to, seq, new byte[] {(byte) seq});
  }

  @Test
  void twoNodesExchangeMessagesBothWaysAndCountEachOtherAsConnected() {
    TestPeer one = peer(1, 2);
    TestPeer two = peer(2, 2);
    // until both links are up a send is dropped and reported (tested below), so wait for them
    await().atMost(Duration.ofSeconds(10)).until(() -> one.connectedPeers() == 1 && two.connectedPeers() == 1);
    one.drainCore(); // resets of the failed first dials are posted to the core before this
    two.drainCore();
    one.resets.clear();
    two.resets.clear();
    one.send(forward(1, 2, 7));
    two.send(new PeerMessage.SessionMoved(2, 1, 0x42));
    await().atMost(Duration.ofSeconds(10)).until(() -> !two.received.isEmpty() && !one.received.isEmpty());
    assertThat(two.received).containsExactly(forward(1, 2, 7));
    assertThat(one.received).containsExactly(new PeerMessage.SessionMoved(2, 1, 0x42));
    assertThat(one.resets).isEmpty();
    assertThat(two.resets).isEmpty();
  }

  @Test
  void eachDirectionKeepsItsOrderWithoutLossOrDuplicatesUnderLoad() {
    long seed = Long.getLong("peer.transport.seed", System.nanoTime());
    System.out.println("TcpPeerTransportTest load seed " + seed + " (replay: -Dpeer.transport.seed=" + seed + ")");
    Random random = new Random(seed);
    // roomy queues, and an idle timeout a loaded 2-core CI machine cannot trip: this test is about
    // order, loss and duplicates on working links (liveness has its own tests below)
    var roomy = (java.util.function.UnaryOperator<PeerTransportOptions>) o -> o.withQueueLimits(1_000_000, 1L << 30)
        .withKeepAlive(50, 10_000, 5_000);
    TestPeer one = track(TestPeer.start(1, TestPeer.members(3), directory, roomy));
    TestPeer two = track(TestPeer.start(2, TestPeer.members(3), directory, roomy));
    TestPeer three = track(TestPeer.start(3, TestPeer.members(3), directory, roomy));
    // a link still dialling (or backing off after dialling a peer not started yet) drops what is
    // sent to it, so the load starts once every link is up
    await().atMost(Duration.ofSeconds(10))
        .until(() -> one.connectedPeers() == 2 && two.connectedPeers() == 2 && three.connectedPeers() == 2);
    for (TestPeer p : List.of(one, two, three)) {
      p.drainCore();
      p.resets.clear();
    }
    int n = 20_000;
    for (TestPeer sender : List.of(one, three)) {
      List<PeerMessage> burst = new ArrayList<>();
      for (long seq = 1; seq <= n; seq++) {
        burst.add(new PeerMessage.Forward(sender.id, 2, seq, new byte[random.nextInt(2000)]));
        if (burst.size() == 1000) {
          sender.sendAll(List.copyOf(burst));
          burst.clear();
        }
      }
    }
    List<PeerMessage> back = LongStream.rangeClosed(1, 5000).mapToObj(s -> (PeerMessage) forward(2, 1, s)).toList();
    two.sendAll(back);
    // a reset means something was lost: stop waiting and say so rather than time out
    await().atMost(Duration.ofSeconds(60)).until(() -> (two.received.size() >= 2 * n && one.received.size() >= 5000)
        || !one.resets.isEmpty() || !two.resets.isEmpty() || !three.resets.isEmpty());
    assertThat(one.resets).isEmpty();
    assertThat(two.resets).isEmpty();
    assertThat(three.resets).isEmpty();
    for (int sender : List.of(1, 3)) {
      List<Long> seqs = two.received.stream().filter(m -> m.from() == sender)
          .map(m -> ((PeerMessage.Forward) m).originSeq()).toList();
      assertThat(seqs).as("from server %d", sender).isEqualTo(LongStream.rangeClosed(1, n).boxed().toList());
    }
    assertThat(one.received).isEqualTo(back);
    assertThat(two.received).hasSize(2 * n);
  }

  @Test
  void aDeadPeerIsReportedOnceAndTheLinkComesBackWhenItReturns() {
    TestPeer one = peer(1, 2);
    TestPeer two = peer(2, 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> one.connectedPeers() == 1 && two.connectedPeers() == 1);
    open.remove(two);
    two.close();
    directory.remove(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> one.resetsFrom(2) >= 1 && one.connectedPeers() == 0);
    // one reset per connection that closed (this node's and the peer's), however often it redials
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
        .until(() -> one.resetsFrom(2) >= 1 && one.resetsFrom(2) <= 2);
    long before = one.resetsFrom(2);

    TestPeer again = peer(2, 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> one.connectedPeers() == 1 && again.connectedPeers() == 1);
    one.send(forward(1, 2, 11));
    again.send(forward(2, 1, 12));
    await().atMost(Duration.ofSeconds(5)).until(() -> !again.received.isEmpty() && !one.received.isEmpty());
    assertThat(again.received).containsExactly(forward(1, 2, 11));
    assertThat(one.received).containsExactly(forward(2, 1, 12));
    assertThat(one.resetsFrom(2)).isEqualTo(before);
    assertThat(logs.messages()).anyMatch(m -> m.startsWith("link to server 2 reset"));
  }

  @Test
  void aMessageForAnUnreachablePeerIsDroppedAndReportedAtOnce() {
    // no server 2: after a failed dial the link waits 1–2 s before the next one
    TestPeer one = track(TestPeer.start(1, TestPeer.members(2), directory, o -> o.withBackoff(2000, 2000)));
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream()
        .anyMatch(m -> m.startsWith("server 2 not reachable yet")));
    one.send(forward(1, 2, 1));
    await().atMost(Duration.ofMillis(900)).until(() -> one.resetsFrom(2) == 1);
    one.send(forward(1, 2, 2));
    await().atMost(Duration.ofMillis(900)).until(() -> one.resetsFrom(2) == 2);
  }

  @Test
  void aNodeOfAnotherEnsembleIsRefusedAndBothSidesSayWhy() {
    TestPeer one = peer(1, 2);
    Map<Integer, PeerEndpoint> otherDirectory = new ConcurrentHashMap<>(Map.of(1, directory.get(1)));
    List<PeerEndpoint> otherMembers = List.of(new PeerEndpoint(1, "127.0.0.1", 0, false),
        new PeerEndpoint(2, "127.0.0.1", 0, false), new PeerEndpoint(3, "127.0.0.1", 0, false));
    TestPeer stranger = track(TestPeer.start(2, otherMembers, otherDirectory));
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream().anyMatch(m ->
        m.startsWith("refusing a peer connection from") && m.contains("it belongs to another ensemble")));
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream().anyMatch(m ->
        m.startsWith("server 1 at 127.0.0.1:" + one.port + " refused this server's connection: it belongs to "
            + "another ensemble")));
    assertThat(stranger.connectedPeers()).isZero();
    assertThat(one.received).isEmpty();
  }

  @Test
  void aNodeThatReachesTheWrongServerIsRefused() {
    TestPeer one = peer(1, 3);
    directory.put(2, directory.get(1)); // server 2's line points at server 1
    TestPeer three = peer(3, 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream().anyMatch(m ->
        m.contains("the caller dialled server 2 but reached server 1")));
    // server 1 dialling "2" reaches itself
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream().anyMatch(m ->
        m.contains("server id 1 is not a peer of server 1")));
    await().atMost(Duration.ofSeconds(5)).until(() -> one.transport.isConnected(3) && three.transport.isConnected(1));
    assertThat(one.transport.isConnected(2)).isFalse();
    assertThat(three.transport.isConnected(2)).isFalse();
  }

  @Test
  void rawHandshakesFromStrangersAreRefusedOrClosed() throws IOException {
    TestPeer one = peer(1, 3);
    long fingerprint = EnsembleFingerprint.of(TestPeer.members(3));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), one.port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(PeerCodec.encode(new PeerFrame.Hello(PeerCodec.VERSION, 9, 1, fingerprint), 1 << 16));
      PeerFrame answer = readFrame(s.getInputStream());
      assertThat(answer).isInstanceOf(PeerFrame.Refused.class);
      assertThat(((PeerFrame.Refused) answer).reason()).contains("server id 9 is not a peer of server 1");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), one.port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(PeerCodec.encode(new PeerFrame.Hello(PeerCodec.VERSION + 1, 2, 1, fingerprint),
          1 << 16));
      assertThat(((PeerFrame.Refused) readFrame(s.getInputStream())).reason())
          .contains("peer protocol version " + (PeerCodec.VERSION + 1) + " is not supported");
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), one.port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages().stream().anyMatch(m ->
        m.startsWith("closing the peer connection from") && m.contains("frame length")));
    assertThat(one.received).isEmpty();
    assertThat(one.resets).isEmpty();
  }

  @Test
  void aFullSendQueueDropsTheMessageAndResetsTheLinkOnce() throws IOException {
    // A peer that accepts TCP but never answers (a paused process): messages wait in the queue.
    try (ServerSocket paused = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      directory.put(2, new PeerEndpoint(2, "127.0.0.1", paused.getLocalPort(), false));
      TestPeer one = track(TestPeer.start(1, TestPeer.members(2), directory,
          o -> o.withQueueLimits(20, o.frameBytesMax()).withKeepAlive(50, 1000, 800)));
      List<PeerMessage> twenty = LongStream.rangeClosed(1, 20).mapToObj(s -> (PeerMessage) forward(1, 2, s)).toList();
      one.sendAll(twenty);
      await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> one.resets.isEmpty());
      one.send(forward(1, 2, 21));
      await().atMost(Duration.ofSeconds(5)).until(() -> one.resetsFrom(2) == 1);
      assertThat(logs.messages()).anyMatch(m -> m.contains("send queue full (20 messages"));

      TestPeer two = peer(2, 2); // the real server 2 comes up; the link gives up on the paused one
      await().atMost(Duration.ofSeconds(10)).until(() -> one.transport.isConnected(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        one.send(forward(1, 2, 100));
        return !two.received.isEmpty();
      });
      assertThat(two.received).allMatch(m -> ((PeerMessage.Forward) m).originSeq() == 100);
      assertThat(logs.messages()).anyMatch(m -> m.contains("no answer to the handshake within 800 ms"));
    }
  }

  @Test
  void aPeerThatFallsSilentIsResetAfterTheIdleTimeout() throws Exception {
    long fingerprint = EnsembleFingerprint.of(TestPeer.members(2));
    try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> welcomeThenSilence(fake, fingerprint), "silent-peer");
      acceptor.setDaemon(true);
      acceptor.start();
      directory.put(2, new PeerEndpoint(2, "127.0.0.1", fake.getLocalPort(), false));
      TestPeer one = track(TestPeer.start(1, TestPeer.members(2), directory,
          o -> o.withKeepAlive(50, 400, 2000)));
      await().atMost(Duration.ofSeconds(5)).until(() -> one.transport.isConnected(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> one.resetsFrom(2) == 1);
      assertThat(logs.messages()).anyMatch(m -> m.startsWith("link to server 2 reset: server 2 silent for"));
    }
  }

  /** Answers one handshake with a Welcome and then never says anything again. */
  private static void welcomeThenSilence(ServerSocket server, long fingerprint) {
    try (Socket s = server.accept()) {
      readFrame(s.getInputStream());
      OutputStream out = s.getOutputStream();
      out.write(PeerCodec.encode(new PeerFrame.Welcome(PeerCodec.VERSION, 2, fingerprint), 1 << 16));
      out.flush();
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // swallow pings until the other side gives up
      }
    } catch (IOException e) {
      // the test is over or the node closed the connection: either is the end of this fake
    }
  }

  private static PeerFrame readFrame(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] payload = new byte[d.readInt()];
    d.readFully(payload);
    return PeerCodec.decode(payload, 1 << 16);
  }
}
