package io.warden.coordinator.durability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker itself: it must flag exactly the frames that carry a not-yet-durable zxid. */
class DurabilityWitnessTest {
  @Test
  void aZxidAtOrBelowTheDurableIndexIsFine() {
    DurabilityWitness w = new DurabilityWitness();
    w.durable(5);
    w.observed(DurabilityWitness.Kind.REPLY, 5);
    w.observed(DurabilityWitness.Kind.EVENT, 3);
    assertThat(w.violations()).isEmpty();
    assertThat(w.checkedReplies()).isEqualTo(1);
    assertThat(w.checkedEvents()).isEqualTo(1);
  }

  @Test
  void aReplyOrEventAheadOfTheDurableIndexIsAViolation() {
    DurabilityWitness w = new DurabilityWitness();
    w.durable(5);
    w.observed(DurabilityWitness.Kind.REPLY, 6);
    w.observed(DurabilityWitness.Kind.EVENT, 7);
    assertThat(w.violations()).containsExactly(
        new DurabilityWitness.Violation(DurabilityWitness.Kind.REPLY, 6, 5),
        new DurabilityWitness.Violation(DurabilityWitness.Kind.EVENT, 7, 5));
  }

  @Test
  void theDurableIndexNeverMovesBackwards() {
    DurabilityWitness w = new DurabilityWitness();
    w.durable(9);
    w.durable(4); // a late, smaller report (e.g. a reordered callback) must not lower it
    w.observed(DurabilityWitness.Kind.REPLY, 9);
    assertThat(w.violations()).isEmpty();
    assertThat(w.durableIndex()).isEqualTo(9);
  }

  @Test
  void framesWithoutATransactionZxidAreNotChecked() {
    DurabilityWitness w = new DurabilityWitness();
    w.observed(DurabilityWitness.Kind.REPLY, -1); // Unimplemented
    w.observed(DurabilityWitness.Kind.REPLY, 0); // auth
    w.observed(DurabilityWitness.Kind.EVENT, -1); // fired while re-arming watches
    assertThat(w.violations()).isEmpty();
    assertThat(w.checkedReplies() + w.checkedEvents()).isZero();
  }
}
