package io.warden.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Raft core's rules, one at a time, on a small in-memory cluster (see RaftTestCluster). */
class RaftClusterTest {
  /** Seeds per election-timing test: in-step ticks split some votes, so these count seeds. */
  private static final int SEEDS = 20;


  @Test
  void threeNodesElectOneLeaderAndAllApplyTheSameCommands() {
    RaftTestCluster c = RaftTestCluster.of(3, 1);
    int leader = c.awaitLeader();
    for (int i = 0; i < 20; i++) {
      c.propose("c" + i);
    }
    c.tick(5);
    for (int id = 1; id <= 3; id++) {
      assertThat(c.commands(id)).hasSize(20).startsWith("c0").endsWith("c19");
      assertThat(c.nodes.get(id).term()).isEqualTo(c.nodes.get(leader).term());
    }
    assertThat(c.nodes.values().stream().filter(RaftCore::isLeader)).hasSize(1);
    c.checkAppliedAgree();
  }

  @Test
  void nothingCommitsWithoutAQuorumOfFsyncs() {
    RaftTestCluster c = RaftTestCluster.of(3, 2);
    int leader = c.awaitLeader();
    for (int id = 1; id <= 3; id++) {
      if (id != leader) {
        c.holdFsync.add(id);
      }
    }
    long index = c.propose("x");
    c.tick(3);
    assertThat(c.nodes.get(leader).commitIndex()).as("only the leader's copy is durable").isLessThan(index);
    c.holdFsync.clear();
    c.tick(3);
    assertThat(c.nodes.get(leader).commitIndex()).isGreaterThanOrEqualTo(index);
  }

  @Test
  void aFollowerAcknowledgesOnlyWhatItHasFsynced() {
    RaftTestCluster c = RaftTestCluster.of(3, 3);
    int leader = c.awaitLeader();
    int follower = leader == 1 ? 2 : 1;
    c.holdFsync.add(follower);
    long index = c.propose("y");
    c.tick(2);
    assertThat(c.nodes.get(leader).matchIndexes().get(follower)).isLessThan(index);
  }

  @Test
  void whenTheLeaderDiesAnotherTakesOverAndCommittedEntriesSurvive() {
    RaftTestCluster c = RaftTestCluster.of(3, 4);
    int first = c.awaitLeader();
    c.propose("before");
    c.tick(3);
    c.crash(first);
    int second = c.awaitLeader();
    assertThat(second).isNotEqualTo(first);
    c.propose("after");
    c.start(first);
    c.tick(20);
    assertThat(c.commands(first)).containsExactly("before", "after");
    c.checkAppliedAgree();
  }

  @Test
  void aMinorityLeaderStepsDownAndItsUncommittedEntriesAreReplaced() {
    RaftTestCluster c = RaftTestCluster.of(5, 5);
    int old = c.awaitLeader();
    c.propose("committed");
    c.isolate(old);
    c.nodes.get(old).propose("lost".getBytes());
    c.tick(40);
    assertThat(c.nodes.get(old).isLeader()).as("CheckQuorum").isFalse();
    int fresh = c.awaitLeader();
    assertThat(fresh).isNotEqualTo(old);
    c.propose("won");
    c.heal();
    c.tick(40);
    for (int id = 1; id <= 5; id++) {
      assertThat(c.commands(id)).containsExactly("committed", "won");
    }
    c.checkAppliedAgree();
  }

  @Test
  void preVoteKeepsARejoiningNodeFromDisruptingTheLeader() {
    RaftTestCluster c = RaftTestCluster.of(3, 6);
    int leader = c.awaitLeader();
    long term = c.nodes.get(leader).term();
    int loner = leader == 3 ? 2 : 3;
    c.isolate(loner);
    c.tick(100);
    assertThat(c.nodes.get(loner).term()).as("pre-votes never win, so the term stays").isEqualTo(term);
    c.heal();
    c.tick(20);
    assertThat(c.leader()).isEqualTo(leader);
    assertThat(c.nodes.get(leader).term()).isEqualTo(term);
  }

  @Test
  void aDivergentFollowerIsRepairedWithConflictHints() {
    RaftTestCluster c = RaftTestCluster.of(3, 7);
    int leader = c.awaitLeader();
    int lagger = leader == 1 ? 2 : 1;
    c.crash(lagger);
    for (int i = 0; i < 30; i++) {
      c.propose("n" + i);
    }
    c.start(lagger);
    c.tick(30);
    assertThat(c.commands(lagger)).hasSize(30);
    c.checkAppliedAgree();
  }

  @Test
  void leadershipCanBeHandedOver() {
    RaftTestCluster c = RaftTestCluster.of(3, 8);
    int leader = c.awaitLeader();
    int target = leader == 3 ? 1 : leader + 1;
    c.propose("a");
    assertThat(c.nodes.get(leader).transferLeadership(target)).isTrue();
    c.settle();
    c.tick(5);
    assertThat(c.leader()).isEqualTo(target);
    c.propose("b");
    c.tick(5);
    assertThat(c.commands(leader)).containsExactly("a", "b");
  }

  @Test
  void membershipChangesOneServerAtATime() {
    RaftTestCluster c = new RaftTestCluster(9, new Membership(Set.of(1, 2, 3), Set.of()));
    int leader = c.awaitLeader();
    c.propose("x");
    c.disks.put(4, new RaftTestCluster.Disk());
    c.start(4);
    RaftCore l = c.nodes.get(leader);
    assertThat(l.proposeMembership(new Membership(Set.of(1, 2, 3, 4, 5), Set.of()))).as("two at once").isEqualTo(-1);
    assertThat(l.proposeMembership(new Membership(Set.of(1, 2, 3), Set.of(4)))).isPositive();
    assertThat(l.proposeMembership(new Membership(Set.of(1, 2, 3, 4), Set.of()))).as("one at a time").isEqualTo(-1);
    c.tick(10);
    assertThat(c.commands(4)).containsExactly("x");
    assertThat(l.proposeMembership(new Membership(Set.of(1, 2, 3, 4), Set.of()))).isPositive();
    c.tick(10);
    for (int id = 1; id <= 4; id++) {
      assertThat(c.nodes.get(id).membership().voters()).containsExactlyInAnyOrder(1, 2, 3, 4);
    }
    int removed = leader;
    Set<Integer> rest = new java.util.TreeSet<>(Set.of(1, 2, 3, 4));
    rest.remove(removed);
    assertThat(l.proposeMembership(new Membership(rest, Set.of()))).isPositive();
    c.tick(40);
    assertThat(c.nodes.get(removed).isLeader()).as("a removed leader steps down").isFalse();
    int next = c.awaitLeader();
    assertThat(rest).contains(next);
    c.propose("y");
    c.tick(5);
    for (int id : rest) {
      assertThat(c.commands(id)).containsExactly("x", "y");
    }
  }

  @Test
  void readIndexIsConfirmedByAQuorumOnLeaderAndFollower() {
    RaftTestCluster c = RaftTestCluster.of(3, 10);
    int leader = c.awaitLeader();
    long index = c.propose("w");
    c.nodes.get(leader).readIndex(7);
    c.settle();
    assertThat(c.reads.get(leader)).containsExactly(new ReadState(7, c.nodes.get(leader).commitIndex()));
    assertThat(c.reads.get(leader).get(0).readIndex()).isGreaterThanOrEqualTo(index);
    int follower = leader == 1 ? 2 : 1;
    c.nodes.get(follower).readIndex(8);
    c.settle();
    assertThat(c.reads.get(follower)).singleElement().satisfies(r -> {
      assertThat(r.requestId()).isEqualTo(8);
      assertThat(r.readIndex()).isGreaterThanOrEqualTo(index);
    });
  }

  @Test
  void anIsolatedLeaderCannotConfirmAReadIndex() {
    RaftTestCluster c = RaftTestCluster.of(3, 11);
    int leader = c.awaitLeader();
    c.propose("w");
    c.isolate(leader);
    c.nodes.get(leader).readIndex(1);
    c.settle();
    assertThat(c.reads.get(leader)).isEmpty();
    c.tick(40);
    assertThat(c.reads.get(leader)).as("failed when it stepped down").containsExactly(new ReadState(1, -1));
  }

  @Test
  void aFollowerBehindTheLeadersSnapshotCatchesUpWithAChunkedTransfer() {
    RaftTestCluster c = RaftTestCluster.of(3, 12);
    int leader = c.awaitLeader();
    int lagger = leader == 1 ? 2 : 1;
    c.crash(lagger);
    for (int i = 0; i < 12; i++) {
      c.propose("s" + i);
    }
    c.snapshot(leader);
    assertThat(c.nodes.get(leader).snapshotIndex()).isPositive();
    c.propose("after-snapshot");
    c.start(lagger);
    c.tick(40);
    RaftCore f = c.nodes.get(lagger);
    assertThat(f.snapshotIndex()).as("installed").isEqualTo(c.nodes.get(leader).snapshotIndex());
    assertThat(f.appliedIndex()).isEqualTo(c.nodes.get(leader).appliedIndex());
    assertThat(c.commands(lagger)).containsExactly("after-snapshot");
    c.checkAppliedAgree();
  }

  @Test
  void learnersReceiveTheLogButNeverVote() {
    RaftTestCluster c = new RaftTestCluster(13, new Membership(Set.of(1, 2, 3), Set.of(4)));
    int leader = c.awaitLeader();
    assertThat(leader).isNotEqualTo(4);
    c.propose("for-all");
    c.tick(3);
    assertThat(c.commands(4)).containsExactly("for-all");
    c.crash(leader);
    c.tick(100);
    assertThat(c.nodes.get(4).isLeader()).isFalse();
    assertThat(c.nodes.get(4).role()).isEqualTo(RaftRole.FOLLOWER);
  }

  @Test
  void aHealthyLeaderStaysConfirmedAcrossCheckQuorumWindowsAndAnIsolatedOneDoesNot() {
    RaftTestCluster c = RaftTestCluster.of(3, 11);
    int leader = c.awaitLeader();
    c.tick(5);
    RaftCore l = c.nodes.get(leader);
    int windows = 4 * c.options.electionTimeoutTicks();
    for (int i = 0; i < windows; i++) {
      // checked between the ticks and the acks they cause, as a real node is between them
      c.nodes.values().forEach(RaftCore::tick);
      assertThat(l.isConfirmedLeader()).as("tick %d", i).isTrue();
      assertThat(l.hasRecentLeader()).as("tick %d", i).isTrue();
      c.settle();
    }
    c.isolate(leader);
    c.tick(2 * c.options.electionTimeoutTicks() + 1);
    assertThat(l.isConfirmedLeader()).isFalse();
    assertThat(l.hasRecentLeader()).isFalse();
  }

  @Test
  void aFollowersReadIndexRequestFailsWhenItsLeaderDiesOrTheLinkResetsInsteadOfHanging() {
    RaftTestCluster c = RaftTestCluster.of(3, 12);
    int leader = c.awaitLeader();
    int follower = leader == 1 ? 2 : 1;
    c.crash(leader);
    c.nodes.get(follower).readIndex(5); // sent to a dead leader: no answer will come
    c.settle();
    assertThat(c.reads.get(follower)).isEmpty();
    int next = c.awaitLeader();
    assertThat(next).isNotEqualTo(leader);
    assertThat(c.reads.get(follower)).as("failed when the leader changed").contains(new ReadState(5, -1));

    int other = c.nodes.keySet().stream().filter(id -> id != next && id != leader).findFirst().orElseThrow();
    c.cutLink(other, next);
    c.nodes.get(other).readIndex(6); // the request is lost with the link
    c.settle();
    assertThat(c.reads.get(other)).doesNotContain(new ReadState(6, -1));
    c.nodes.get(other).onLinkReset(next);
    c.settle();
    assertThat(c.reads.get(other)).contains(new ReadState(6, -1));
  }

  /**
   * Early campaigns fire two to three heartbeats out; in this cluster all nodes tick in step, so
   * two of them fire in the same tick for some seeds and split the vote, which then costs an
   * election timeout (as it would in Raft without early campaigns). Over many seeds most elect
   * within a few heartbeats — without early campaigns none would.
   */
  @Test
  void followersWhoseLinkToTheLeaderResetElectANewOneWithinAFewHeartbeatsNotAnElectionTimeout() {
    int fast = seedsElectingWithin(4, c -> {
      assertThat(4 * c.options.heartbeatTicks()).isLessThan(c.options.electionTimeoutTicks());
      int leader = c.awaitLeader();
      long term = c.nodes.get(leader).term();
      c.crash(leader);
      for (int id : c.nodes.keySet()) {
        if (id != leader) {
          c.nodes.get(id).onLinkReset(leader); // the dead process's sockets closed
        }
      }
      return elected -> {
        assertThat(elected.leader()).isNotEqualTo(leader);
        assertThat(elected.nodes.get(elected.leader()).term()).isGreaterThan(term);
      };
    });
    assertThat(fast).as("seeds (of %d) with a new leader within 4 heartbeats", SEEDS).isGreaterThanOrEqualTo(8);
  }

  /**
   * A node that starts knows no leader and campaigns within a few heartbeats instead of an
   * election timeout: a cold start of the whole ensemble (all members restarted after their
   * snapshots loaded) is not held up by it. All three start in the same tick here, so for some
   * seeds all three campaign at once and split the vote.
   */
  @Test
  void aColdStartElectsALeaderWithinAFewHeartbeatsNotAnElectionTimeout() {
    int fast = seedsElectingWithin(4, c -> elected -> { });
    assertThat(fast).as("seeds (of %d) with a leader within 4 heartbeats of starting", SEEDS)
        .isGreaterThanOrEqualTo(10);
  }

  /**
   * Members of a cold ensemble come up one by one and their links connect later still, so the
   * first early campaigns reach nobody. A node that has not heard of a leader since it started
   * campaigns again a few heartbeats later, not an election timeout later: once a quorum can
   * talk, a leader follows within a few heartbeats.
   */
  @Test
  void startingNodesKeepCampaigningEarlyUntilTheirLinksConnect() {
    int fast = seedsElectingWithin(3, c -> {
      c.crash(3);
      c.cutLink(1, 2); // started, but not yet connected to each other
      c.tick(4 * c.options.heartbeatTicks()); // the first early campaigns reach nobody
      assertThat(c.leader()).as("no leader without links").isZero();
      c.heal();
      return elected -> { };
    });
    assertThat(fast).as("seeds (of %d) with a leader within 3 heartbeats of the links connecting", SEEDS)
        .isGreaterThanOrEqualTo(10);
  }

  /**
   * For seeds 1..{@value #SEEDS}: a 3-node cluster, {@code scenario} run on it (it returns the
   * checks for once a leader is elected), then ticks until a leader, which every seed must have
   * within three election timeouts. Returns how many had one within {@code fastHeartbeats}.
   */
  private static int seedsElectingWithin(int fastHeartbeats,
      Function<RaftTestCluster, Consumer<RaftTestCluster>> scenario) {
    int fast = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      RaftTestCluster c = RaftTestCluster.of(3, seed);
      Consumer<RaftTestCluster> afterwards = scenario.apply(c);
      int limit = 3 * c.options.electionTimeoutTicks();
      int ticks = ticksUntilLeader(c, limit);
      assertThat(ticks).as("seed %d: a leader within three election timeouts", seed).isLessThanOrEqualTo(limit);
      afterwards.accept(c);
      if (ticks <= fastHeartbeats * c.options.heartbeatTicks()) {
        fast++;
      }
    }
    return fast;
  }

  /** Ticks until some node is a confirmed leader (at most {@code limit}; more means none). */
  private static int ticksUntilLeader(RaftTestCluster c, int limit) {
    for (int t = 0; t <= limit; t++) {
      int l = c.leader();
      if (l != 0 && c.nodes.get(l).isConfirmedLeader()) {
        return t;
      }
      c.tick(1);
    }
    return limit + 1;
  }

  @Test
  void aResetLinkToALiveLeaderDisruptsNobody() {
    RaftTestCluster c = RaftTestCluster.of(3, 14);
    int leader = c.awaitLeader();
    long term = c.nodes.get(leader).term();
    int follower = leader == 1 ? 2 : 1;
    c.cutLink(follower, leader);
    c.nodes.get(follower).onLinkReset(leader); // a blip: the other follower still hears the leader
    c.tick(4 * c.options.heartbeatTicks());
    assertThat(c.nodes.get(leader).isLeader()).isTrue();
    assertThat(c.nodes.get(leader).term()).as("the pre-vote was refused").isEqualTo(term);
    c.heal();
    c.tick(2 * c.options.heartbeatTicks());
    assertThat(c.leader()).isEqualTo(leader);
    assertThat(c.nodes.get(leader).term()).isEqualTo(term);
  }

  @Test
  void aFollowerThatAcknowledgesAfterTheCommitLearnsItWithoutWaitingForAHeartbeat() {
    RaftTestCluster c = RaftTestCluster.of(3, 15);
    int leader = c.awaitLeader();
    int slow = leader == 1 ? 2 : 1;
    c.tick(1);
    c.holdFsync.add(slow);
    long index = c.propose("w"); // committed by the leader and the other follower
    assertThat(c.nodes.get(leader).commitIndex()).isGreaterThanOrEqualTo(index);
    assertThat(c.nodes.get(slow).commitIndex()).isLessThan(index);
    c.holdFsync.remove(slow);
    c.settle(); // its fsync completes and it acknowledges; no tick, so no heartbeat
    assertThat(c.nodes.get(slow).commitIndex()).as("told at its acknowledgement").isGreaterThanOrEqualTo(index);
  }
}
