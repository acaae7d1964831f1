package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Samples.Sample;
import java.lang.reflect.RecordComponent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** read(write(x)) == x for every record, consuming exactly the bytes written. */
class RoundTripTest {

  @Property(tries = 3000)
  void readInvertsWrite(@ForAll("samples") Sample s) {
    GoldenBytesTest.countKinds(s);
    byte[] bytes = s.bytes();
    JuteReader r = new JuteReader(bytes);

    JuteRecord back = s.kind().reader().read(r);

    assertThat(back).isEqualTo(s.value());
    assertThat(back.hashCode()).isEqualTo(s.value().hashCode());
    assertThat(r.remaining()).isZero();
    assertThat(back.toBytes()).isEqualTo(bytes);
  }

  /**
   * Records holding byte[] compare by content (the decoded copy is a different array), and
   * print only lengths, so passwords, credentials and data never reach a log line.
   */
  @Property(tries = 2000)
  void byteArraysCompareByContentAndNeverPrint(@ForAll("samples") Sample s) {
    String printed = s.value().toString();
    assertThat(printed).doesNotContain("[B@");
    for (RecordComponent c : s.value().getClass().getRecordComponents()) {
      if (c.getType() == byte[].class) {
        byte[] b = (byte[]) get(c, s.value());
        String shown = b == null ? "null" : "byte[" + b.length + "]";
        assertThat(printed).contains(c.getName() + "=" + shown);
      }
    }
  }

  @Provide
  Arbitrary<Sample> samples() {
    return Samples.samples();
  }

  private static Object get(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
