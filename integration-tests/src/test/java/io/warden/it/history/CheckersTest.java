package io.warden.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checkers are tested the way they will be trusted: 1,000 generated valid histories raise no
 * alarm, and 1,000 histories each carrying exactly one planted anomaly are all caught. Seeds:
 * {@code -Dwarden.history.seed=S} replays a run (each history's own seed is derived from it and
 * printed with any failure).
 */
class CheckersTest {
  private static final int HISTORIES = 1_000;
  private static final long SEED = Long.getLong("warden.history.seed", System.nanoTime());

  @Test
  void validHistoriesRaiseNoAlarm() {
    System.out.println("CheckersTest valid histories: seed " + SEED + " (replay: -Dwarden.history.seed=" + SEED + ")");
    Random seeds = new Random(SEED);
    List<String> alarms = new ArrayList<>();
    int wgl = 0;
    for (int i = 0; i < HISTORIES; i++) {
      long seed = seeds.nextLong();
      Checkers.Verdict v = Checkers.check(new HistoryGenerator(seed).generate());
      wgl += v.wglChecked() - v.wglGaveUp();
      if (!v.anomalies().isEmpty()) {
        alarms.add("history seed " + seed + ": " + v.anomalies());
      }
    }
    assertThat(alarms).as("alarms on valid histories").isEmpty();
    assertThat(wgl).as("WGL searches that finished").isGreaterThanOrEqualTo(HISTORIES);
  }

  @Test
  void everyPlantedAnomalyIsDetected() {
    System.out.println("CheckersTest planted anomalies: seed " + SEED + " (replay: -Dwarden.history.seed=" + SEED
        + ")");
    Random seeds = new Random(SEED);
    AnomalyInjector.Planted[] kinds = AnomalyInjector.Planted.values();
    Map<AnomalyInjector.Planted, Integer> planted = new EnumMap<>(AnomalyInjector.Planted.class);
    List<String> missed = new ArrayList<>();
    int staleReadsWglCaught = 0;
    for (int i = 0; i < HISTORIES; i++) {
      AnomalyInjector.Planted kind = kinds[i % kinds.length];
      Optional<History> bad = Optional.empty();
      long seed = 0;
      while (bad.isEmpty()) {
        seed = seeds.nextLong();
        bad = AnomalyInjector.inject(new HistoryGenerator(seed).generate(), kind, new Random(seed));
      }
      planted.merge(kind, 1, Integer::sum);
      Checkers.Verdict v = Checkers.check(bad.get());
      if (v.count(kind.detectedAs) == 0) {
        missed.add(kind + " in history seed " + seed + " (found " + v.anomalies() + ")");
      }
      if (kind == AnomalyInjector.Planted.STALE_READ) {
        List<Op> ops = bad.get().ops();
        boolean anyKeyNotLinearizable = ops.stream().map(Op::key).filter(k -> k.startsWith("/r")).distinct()
            .anyMatch(k -> WglRegister.check(ops.stream().filter(o -> o.key().equals(k)).toList(), 10_000_000)
                == WglRegister.Result.NOT_LINEARIZABLE);
        staleReadsWglCaught += anyKeyNotLinearizable ? 1 : 0;
      }
    }
    System.out.println("CheckersTest planted " + planted + "; missed " + missed.size() + "; WGL alone caught "
        + staleReadsWglCaught + " of " + planted.get(AnomalyInjector.Planted.STALE_READ) + " stale reads");
    assertThat(missed).as("planted anomalies the checkers missed").isEmpty();
    assertThat(planted.values()).allMatch(n -> n >= HISTORIES / kinds.length);
    assertThat(staleReadsWglCaught).as("the WGL search, without zxids, also catches every stale read")
        .isEqualTo(planted.get(AnomalyInjector.Planted.STALE_READ));
  }
}
