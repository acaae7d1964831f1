package io.warden.coordinator.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionExpiryTest {

  @Test
  void expiresAfterTimeoutRoundedUpToTheBucket() {
    SessionExpiry e = new SessionExpiry(100);
    e.touch(1, 1000, 50); // deadline 1050 → bucket 1100
    assertThat(e.takeExpired(1099)).isEmpty();
    assertThat(e.takeExpired(1100)).containsExactly(1L);
    assertThat(e.takeExpired(5000)).as("reported once").isEmpty();
  }

  @Test
  void touchPushesTheDeadline() {
    SessionExpiry e = new SessionExpiry(10);
    e.touch(1, 100, 0);
    e.touch(1, 90);
    assertThat(e.takeExpired(150)).isEmpty();
    assertThat(e.takeExpired(190)).containsExactly(1L);
  }

  @Test
  void expiringSessionCannotBeRevivedByALateTouch() {
    SessionExpiry e = new SessionExpiry(10);
    e.touch(1, 100, 0);
    assertThat(e.takeExpired(100)).containsExactly(1L);
    e.touch(1, 150);
    assertThat(e.takeExpired(10_000)).isEmpty();
    e.remove(1);
    assertThat(e.isTracked(1)).isFalse();
  }

  @Test
  void newLeaderGrantsEveryoneAFullTimeout() {
    SessionExpiry e = new SessionExpiry(10);
    e.touch(1, 100, 0);
    e.touch(2, 1000, 0);
    assertThat(e.takeExpired(100)).containsExactly(1L);
    e.renewAll(500);
    assertThat(e.takeExpired(599)).isEmpty();
    assertThat(e.takeExpired(600)).containsExactly(1L);
    assertThat(e.takeExpired(1500)).containsExactly(2L);
  }

  @Test
  void sessionIdsCarryTheProposerAndAreUniquePerIndex() {
    assertThat(Session.idFor(1, 5)).isEqualTo(0x0100000000000005L);
    assertThat(Session.idFor(255, 5)).isNotEqualTo(Session.idFor(1, 5));
    assertThat(Session.idFor(1, 6)).isNotEqualTo(Session.idFor(1, 5));
  }

  @Test
  void passwordComparisonIsByContent() {
    byte[] pw = new byte[16];
    pw[3] = 7;
    Session s = new Session(1, 3000, pw);
    pw[3] = 8; // the record keeps its own copy
    byte[] good = new byte[16];
    good[3] = 7;
    assertThat(s.passwordMatches(good)).isTrue();
    assertThat(s.passwordMatches(pw)).isFalse();
    assertThat(s.passwordMatches(null)).isFalse();
    assertThat(s.passwordMatches(new byte[15])).isFalse();
  }
}
