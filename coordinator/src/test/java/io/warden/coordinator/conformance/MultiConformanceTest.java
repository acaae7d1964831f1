package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** multi, multiRead and transactions (wire reference §8): results, rollback, sequence numbers. */
class MultiConformanceTest extends ConformanceTest {



  @Test
  void successfulMultiReturnsOneResultPerOp() throws Exception {
    zk.create(root + "/old", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/gone", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    List<OpResult> results =
        zk.multi(
            List.of(
                Op.create(root + "/a", bytes("a"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create(root + "/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create(
                    root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL),
                Op.create(root + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
                Op.create(
                    root + "/t", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000),
                Op.check(root + "/old", 0),
                Op.setData(root + "/old", bytes("y"), 0),
                Op.delete(root + "/gone", 0)));
    assertThat(results).hasSize(9);
    assertThat(((OpResult.CreateResult) results.get(0)).getPath()).isEqualTo(root + "/a");
    assertThat(((OpResult.CreateResult) results.get(0)).getStat())
        .as("opcode 1 has no Stat")
        .isNull();
    assertThat(((OpResult.CreateResult) results.get(1)).getPath()).isEqualTo(root + "/a/b");
    // sequential creates in one multi get consecutive numbers (the parent had 3 creations)
    assertThat(((OpResult.CreateResult) results.get(2)).getPath())
        .isEqualTo(root + "/s-0000000003");
    assertThat(((OpResult.CreateResult) results.get(3)).getPath())
        .isEqualTo(root + "/s-0000000004");
    OpResult.CreateResult container = (OpResult.CreateResult) results.get(4);
    assertThat(container.getPath()).isEqualTo(root + "/c");
    assertThat(container.getStat()).as("createContainer answers with create2's result").isNotNull();
    assertThat(container.getStat().getEphemeralOwner()).isZero();
    OpResult.CreateResult ttl = (OpResult.CreateResult) results.get(5);
    assertThat(ttl.getStat()).isNotNull();
    assertThat(ttl.getStat().getEphemeralOwner()).isZero();
    assertThat(results.get(6)).isInstanceOf(OpResult.CheckResult.class);
    Stat set = ((OpResult.SetDataResult) results.get(7)).getStat();
    assertThat(set.getVersion()).isEqualTo(1);
    assertThat(results.get(8)).isInstanceOf(OpResult.DeleteResult.class);

    // one transaction: every change carries the same zxid
    Stat a = zk.exists(root + "/a", false);
    assertThat(a.getCzxid()).isEqualTo(set.getMzxid()).isEqualTo(ttl.getStat().getCzxid());
    assertThat(zk.exists(root + "/s-0000000004", false).getEphemeralOwner())
        .isEqualTo(zk.getSessionId());
    assertThat(zk.exists(root + "/gone", false)).isNull();
    assertThat(zk.getData(root + "/old", false, null)).asString().isEqualTo("y");
  }

  @Test
  void failedMultiRollsBackAndReportsWhereItFailed() throws Exception {
    zk.create(root + "/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/x", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    Stat before = zk.exists(root, false);
    Stat qBefore = zk.exists(root + "/q", false);
    List<Op> ops =
        List.of(
            Op.create(root + "/q/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
            Op.setData(root + "/x", bytes("changed"), -1),
            Op.create(root + "/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.delete(root + "/missing", -1),
            Op.setData(root + "/x", bytes("again"), -1));
    KeeperException e = catchKeeper(() -> zk.multi(ops));
    assertThat(e.code()).isEqualTo(Code.NONODE);
    assertThat(e.getResults())
        .hasSize(5)
        .allSatisfy(r -> assertThat(r).isInstanceOf(OpResult.ErrorResult.class));
    assertThat(e.getResults())
        .extracting(r -> ((OpResult.ErrorResult) r).getErr())
        .containsExactly(0, 0, 0, Code.NONODE.intValue(), Code.RUNTIMEINCONSISTENCY.intValue());

    // nothing happened, and no sequence number was consumed
    assertThat(zk.getData(root + "/x", false, null)).asString().isEqualTo("x");
    assertThat(zk.exists(root + "/new", false)).isNull();
    assertThat(zk.getChildren(root + "/q", false)).isEmpty();
    Stat qAfter = zk.exists(root + "/q", false);
    assertThat(qAfter.getCversion()).isEqualTo(qBefore.getCversion());
    assertThat(qAfter.getPzxid()).isEqualTo(qBefore.getPzxid());
    assertThat(zk.exists(root, false).getCversion()).isEqualTo(before.getCversion());
    assertThat(
            zk.create(root + "/q/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
        .isEqualTo(root + "/q/n-0000000000");
  }

  @Test
  void multiFailuresUseTheSingleOperationErrorCodes() throws Exception {
    zk.create(root + "/v", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    assertThat(catchKeeper(() -> zk.multi(List.of(Op.check(root + "/v", 3)))).code())
        .isEqualTo(Code.BADVERSION);
    assertThat(catchKeeper(() -> zk.multi(List.of(Op.check(root + "/nope", -1)))).code())
        .isEqualTo(Code.NONODE);
    assertThat(
            catchKeeper(
                    () ->
                        zk.multi(
                            List.of(
                                Op.create(
                                    root + "/v",
                                    null,
                                    Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT))))
                .code())
        .isEqualTo(Code.NODEEXISTS);
    assertThat(
            catchKeeper(
                    () ->
                        zk.multi(
                            List.of(
                                Op.create(
                                    root + "/e/c",
                                    null,
                                    Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT))))
                .code())
        .isEqualTo(Code.NOCHILDRENFOREPHEMERALS);
    assertThat(catchKeeper(() -> zk.multi(List.of(Op.delete(root, -1)))).code())
        .isEqualTo(Code.NOTEMPTY);
    // a later op sees the earlier ones: delete then re-create in one transaction
    List<OpResult> ok =
        zk.multi(
            List.of(
                Op.delete(root + "/v", 0),
                Op.create(root + "/v", bytes("new"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check(root + "/v", 0)));
    assertThat(ok).hasSize(3);
    assertThat(zk.getData(root + "/v", false, null)).asString().isEqualTo("new");
  }

  @Test
  void transactionBuilderCommitsAtomically() throws Exception {
    List<OpResult> results =
        zk.transaction()
            .create(root + "/t", bytes("1"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .setData(root + "/t", bytes("2"), 0)
            .check(root + "/t", 1)
            .commit();
    assertThat(results).hasSize(3);
    assertThat(zk.getData(root + "/t", false, null)).asString().isEqualTo("2");

    KeeperException e =
        catchKeeper(
            () ->
                zk.transaction()
                    .delete(root + "/t", 1)
                    .create(root + "/t/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
                    .commit());
    assertThat(e.code()).isEqualTo(Code.NONODE);
    assertThat(zk.exists(root + "/t", false)).isNotNull();
  }

  @Test
  void asyncMultiReportsTheFirstErrorAsRc() throws Exception {
    CompletableFuture<Integer> rc = new CompletableFuture<>();
    CompletableFuture<List<OpResult>> res = new CompletableFuture<>();
    zk.multi(
        List.of(
            Op.create(root + "/ok", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(root + "/missing", null, -1)),
        (code, path, ctx, opResults) -> {
          rc.complete(code);
          res.complete(opResults);
        },
        null);
    assertThat(rc.get(Events.WAIT_S, TimeUnit.SECONDS)).isEqualTo(Code.NONODE.intValue());
    assertThat(res.get())
        .extracting(r -> ((OpResult.ErrorResult) r).getErr())
        .containsExactly(0, Code.NONODE.intValue());
  }

  @Test
  void multiFiresEveryWatchBeforeItsReply() throws Exception {
    Events events = new Events();
    ZooKeeper watcher = clients.connect();
    watcher.exists(root + "/a", events);
    watcher.getChildren(root, events);
    zk.multi(
        List.of(
            Op.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.create(root + "/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
    assertThat(List.of(events.next(), events.next()))
        .containsExactlyInAnyOrder(
            new Events.Seen(EventType.NodeCreated, root + "/a"),
            new Events.Seen(EventType.NodeChildrenChanged, root));
    // a failed multi fires nothing: the sentinel after it is the next event
    watcher.exists(root + "/c", events);
    watcher.exists(root + "/sentinel", events);
    assertThatThrownBy(
            () ->
                zk.multi(
                    List.of(
                        Op.create(root + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.delete(root + "/missing", -1))))
        .isInstanceOf(KeeperException.NoNodeException.class);
    zk.create(root + "/sentinel", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    events.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void multiReadAnswersEachOpIndependently() throws Exception {
    zk.create(root + "/d", bytes("data"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/d/k1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/d/k2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(
        root + "/secret",
        bytes("s"),
        Acls.of(Acls.acl(Perms.ADMIN, "world", "anyone")),
        CreateMode.PERSISTENT);
    List<OpResult> results =
        zk.multi(
            List.of(
                Op.getData(root + "/d"),
                Op.getChildren(root + "/d"),
                Op.getData(root + "/missing"),
                Op.getChildren(root + "/secret"),
                Op.getData(root + "/d/k1")));
    assertThat(results).hasSize(5);
    OpResult.GetDataResult data = (OpResult.GetDataResult) results.get(0);
    assertThat(data.getData()).asString().isEqualTo("data");
    assertThat(data.getStat().getNumChildren()).isEqualTo(2);
    assertThat(((OpResult.GetChildrenResult) results.get(1)).getChildren())
        .containsExactlyInAnyOrder("k1", "k2");
    assertThat(((OpResult.ErrorResult) results.get(2)).getErr()).isEqualTo(Code.NONODE.intValue());
    assertThat(((OpResult.ErrorResult) results.get(3)).getErr()).isEqualTo(Code.NOAUTH.intValue());
    assertThat(((OpResult.GetDataResult) results.get(4)).getData()).isNull();
  }


  private interface KeeperCall {
    void run() throws Exception;
  }

  private static KeeperException catchKeeper(KeeperCall call) {
    try {
      call.run();
    } catch (KeeperException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a KeeperException, got " + e, e);
    }
    throw new AssertionError("expected a KeeperException, but the call succeeded");
  }
}
