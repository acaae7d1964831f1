package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionTest extends RecipeTestBase {

  private LeaderLatch latch(WardenClient c, String id) throws Exception {
    LeaderLatch l = new LeaderLatch(c, path, id);
    l.start();
    return l;
  }

  private static List<LeaderLatch> leaders(List<LeaderLatch> latches) {
    return latches.stream().filter(LeaderLatch::hasLeadership).toList();
  }

  @Test
  void aLoneParticipantLeads() throws Exception {
    LeaderLatch l = closeLater(latch(client(), "solo"));
    assertThat(l.await(Duration.ofSeconds(5))).isTrue();
    assertThat(l.fencingToken()).isPositive();
    assertThat(l.currentLeaderId()).isEqualTo("solo");
  }

  @Test
  void exactlyOneLeaderAndTokensGrowAsLeadersAreKilled() throws Exception {
    long seed = seed("exactlyOneLeaderAndTokensGrowAsLeadersAreKilled");
    Random random = new Random(seed);
    List<LeaderLatch> latches = new ArrayList<>();
    List<WardenClient> clients = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int rounds = 5;
    for (int i = 0; i < 8; i++) {
      WardenClient c = client();
      clients.add(c);
      ids.add("p" + i);
      latches.add(latch(c, "p" + i));
    }
    long lastToken = 0;
    for (int round = 0; round < rounds; round++) {
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(latches).size() == 1);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        StringBuilder why = new StringBuilder("round " + round + ": ");
        for (int i = 0; i < latches.size(); i++) {
          why.append(ids.get(i)).append(" leader=").append(latches.get(i).hasLeadership())
              .append(" state=").append(clients.get(i).state()).append("; ");
        }
        if (!clients.isEmpty()) {
          why.append("children ").append(clients.get(0).blocking().getChildren(path));
        }
        throw new AssertionError(why.toString(), e);
      }
      LeaderLatch leader = leaders(latches).get(0);
      long token = leader.fencingToken();
      assertThat(token).isGreaterThan(lastToken);
      lastToken = token;
      int index = latches.indexOf(leader);
      assertThat(leader.currentLeaderId()).isEqualTo(ids.get(index));
      // kill the leader: its session ends without a clean leave of the latch
      clients.remove(index).close();
      latches.remove(index);
      ids.remove(index);
      // a follower too, now and then — while enough participants remain for the rounds ahead
      if (random.nextBoolean() && latches.size() > rounds - round) {
        int f = random.nextInt(latches.size());
        if (!latches.get(f).hasLeadership()) {
          clients.remove(f).close();
          latches.remove(f);
          ids.remove(f);
        }
      }
      assertThat(leaders(latches)).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void closingTheLatchHandsLeadershipToTheNextInLine() throws Exception {
    LeaderLatch first = latch(client(), "a");
    LeaderLatch second = closeLater(latch(client(), "b"));
    assertThat(first.await(Duration.ofSeconds(5))).isTrue();
    assertThat(second.hasLeadership()).isFalse();
    long token = first.fencingToken();
    first.close();
    assertThat(second.await(Duration.ofSeconds(5))).isTrue();
    assertThat(second.fencingToken()).isGreaterThan(token);
    assertThat(second.currentLeaderId()).isEqualTo("b");
  }

  @Test
  void listenersHearLeadershipComeAndGo() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    WardenClient c = client();
    LeaderLatch holder = latch(c, "x");
    assertThat(holder.await(Duration.ofSeconds(5))).isTrue();
    LeaderLatch l = closeLater(new LeaderLatch(client(), path, "y"));
    l.addListener(new LeaderLatch.Listener() {
      @Override
      public void isLeader(long fencingToken) {
        heard.add("leader " + (fencingToken > 0));
      }

      @Override
      public void notLeader() {
        heard.add("not leader");
      }
    });
    l.start();
    holder.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("leader true"));
    assertThat(heard).containsExactly("leader true");
  }

  @Test
  void suspendedDropsLeadershipAndReconnectRestoresItWithTheSameToken() throws Exception {
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    LeaderLatch l = closeLater(latch(p.client(), "flaky"));
    assertThat(l.await(Duration.ofSeconds(5))).isTrue();
    long token = l.fencingToken();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    assertThat(l.hasLeadership()).isFalse();
    assertThatThrownBy(l::fencingToken).isInstanceOf(IllegalStateException.class);
    p.proxy().heal();
    assertThat(l.await(Duration.ofSeconds(15))).isTrue();
    assertThat(l.fencingToken()).isEqualTo(token);
  }

  @Test
  void aLostSessionPassesLeadershipOnWithALargerToken() throws Exception {
    Proxied p = proxiedClient(Duration.ofMillis(1500));
    LeaderLatch doomed = latch(p.client(), "doomed");
    assertThat(doomed.await(Duration.ofSeconds(5))).isTrue();
    long token = doomed.fencingToken();
    LeaderLatch next = closeLater(latch(client(), "next"));
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.LOST));
    assertThat(doomed.hasLeadership()).isFalse();
    assertThat(doomed.await(Duration.ofMillis(100))).isFalse();
    assertThat(next.await(Duration.ofSeconds(10))).isTrue();
    assertThat(next.fencingToken()).isGreaterThan(token);
  }

  @Test
  void selectorsTakeTurnsOneAtATimeWithGrowingTokens() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<Long> tokens = new CopyOnWriteArrayList<>();
    CountDownLatch turns = new CountDownLatch(9);
    for (int i = 0; i < 3; i++) {
      LeaderSelector s = closeLater(new LeaderSelector(client(), path, true, token -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        tokens.add(token);
        inside.decrementAndGet();
        turns.countDown();
      }));
      s.start();
    }
    assertThat(turns.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(maxInside.get()).isEqualTo(1);
    List<Long> firstNine = new ArrayList<>(tokens).subList(0, 9);
    assertThat(firstNine).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aSelectorsLeaderIsInterruptedWhenSuspended() throws Exception {
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    CountDownLatch leading = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    LeaderSelector s = closeLater(new LeaderSelector(p.client(), path, false, token -> {
      leading.countDown();
      try {
        new CountDownLatch(1).await(); // lead until told otherwise
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }));
    s.start();
    assertThat(leading.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.hasLeadership()).isTrue();
    p.proxy().cut();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !s.hasLeadership());
    p.proxy().heal();
  }

  @Test
  void misuseFailsClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new LeaderLatch(c, "bad path", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LeaderSelector(c, path, false, null))
        .isInstanceOf(NullPointerException.class);
    LeaderLatch l = closeLater(latch(c, "x"));
    assertThatThrownBy(l::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("once");
    LeaderSelector s = closeLater(new LeaderSelector(c, path + "-s", false, token -> { }));
    s.start();
    assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
  }
}
