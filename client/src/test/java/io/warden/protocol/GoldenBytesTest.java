package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Samples.Kind;
import io.warden.protocol.Samples.Sample;
import java.util.HexFormat;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Byte-exact compatibility with Apache ZooKeeper 3.9 for every record in {@link Samples#ALL}:
 * our encoding equals ZooKeeper's, we decode ZooKeeper's bytes to the same value, and ZooKeeper
 * parses our bytes completely and writes them back unchanged.
 */
class GoldenBytesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Property(tries = 4000)
  void encodingEqualsZooKeepers(@ForAll("samples") Sample s) {
    countKinds(s);
    byte[] ours = s.bytes();
    byte[] theirs = s.kind().oracleBytes(s.value());

    // hex strings give a readable diff when a byte differs
    assertThat(HEX.formatHex(ours)).isEqualTo(HEX.formatHex(theirs));
  }

  @Property(tries = 4000)
  void decodesZooKeepersBytes(@ForAll("samples") Sample s) {
    countKinds(s);
    byte[] theirs = s.kind().oracleBytes(s.value());
    JuteReader r = new JuteReader(theirs);

    assertThat(s.kind().reader().read(r)).isEqualTo(s.value());
    assertThat(r.remaining()).as("bytes left unread").isZero();
  }

  @Property(tries = 4000)
  void zooKeeperParsesOurBytes(@ForAll("samples") Sample s) {
    countKinds(s);
    byte[] ours = s.bytes();

    assertThat(HEX.formatHex(s.kind().oracleReencode().apply(ours)))
        .isEqualTo(HEX.formatHex(ours));
  }

  @Provide
  Arbitrary<Sample> samples() {
    return Samples.samples();
  }

  /** Fails the property unless every record kind was generated often enough. */
  static void countKinds(Sample s) {
    Statistics.label("kind").collect(s.kind().name());
    Statistics.label("kind").coverage(coverage -> {
      for (Kind<?> k : Samples.ALL) {
        coverage.check(k.name()).count((Predicate<Integer>) n -> n >= 10);
      }
    });
  }
}
