package io.warden.brokersim.cli;

import io.warden.brokersim.dashboard.Coordinators;
import io.warden.coordinator.node.NodeStatus;
import java.util.List;
import java.util.Map;

/** The demo's embedded ensemble as the dashboard sees it: members not running are "down". */
final class EnsembleCoordinators implements Coordinators {
  private final DemoEnsemble ensemble;

  EnsembleCoordinators(DemoEnsemble ensemble) {
    this.ensemble = ensemble;
  }

  @Override
  public List<Member> members() {
    Map<Integer, NodeStatus> status = ensemble.status();
    return ensemble.memberIds().stream().map(id -> {
      NodeStatus s = status.get(id);
      return s == null ? Member.down(id) : new Member(id, s.mode(), s.term(), s.commitIndex());
    }).toList();
  }

  @Override
  public void stop(int id) {
    ensemble.stop(id);
  }

  @Override
  public void start(int id) {
    ensemble.start(id);
  }
}
