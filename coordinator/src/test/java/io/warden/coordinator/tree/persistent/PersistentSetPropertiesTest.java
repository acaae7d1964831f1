package io.warden.coordinator.tree.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link PersistentSet} behaves like {@link HashSet}, collisions included; old versions stay. */
class PersistentSetPropertiesTest {

  record Op(boolean add, PersistentMapPropertiesTest.Key key) {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> hashBuckets = Arbitraries.of(1, 3, 50, Integer.MAX_VALUE);
    return hashBuckets.flatMap(buckets -> {
      Arbitrary<PersistentMapPropertiesTest.Key> keys = Arbitraries.integers().between(0, 200)
          .map(id -> new PersistentMapPropertiesTest.Key(id,
              buckets == Integer.MAX_VALUE ? id * 0x9E3779B1 : id % buckets));
      Arbitrary<Op> op = Combinators.combine(
          Arbitraries.integers().between(0, 99).map(p -> p < 60), keys).as(Op::new);
      return op.list().ofMaxSize(500);
    });
  }

  @Property(tries = 300)
  void behavesLikeHashSet(@ForAll("ops") List<Op> ops) {
    PersistentSet<PersistentMapPropertiesTest.Key> set = PersistentSet.empty();
    Set<PersistentMapPropertiesTest.Key> model = new HashSet<>();
    List<PersistentSet<PersistentMapPropertiesTest.Key>> versions = new ArrayList<>();
    List<Set<PersistentMapPropertiesTest.Key>> expected = new ArrayList<>();
    for (Op op : ops) {
      versions.add(set);
      expected.add(new HashSet<>(model));
      if (op.add()) {
        set = set.add(op.key());
        model.add(op.key());
      } else {
        set = set.remove(op.key());
        model.remove(op.key());
      }
      assertThat(set.size()).isEqualTo(model.size());
      assertThat(set.contains(op.key())).isEqualTo(model.contains(op.key()));
    }
    set.checkInvariants();
    assertThat(set.toList()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(model);
    List<PersistentMapPropertiesTest.Key> viaIterator = new ArrayList<>();
    set.iterator().forEachRemaining(viaIterator::add);
    assertThat(viaIterator).containsExactlyElementsOf(set.toList());
    for (int i = 0; i < versions.size(); i++) {
      versions.get(i).checkInvariants();
      assertThat(versions.get(i).toList()).as("version %d", i)
          .containsExactlyInAnyOrderElementsOf(expected.get(i));
    }
  }

  @Test
  void emptySetIsShared() {
    PersistentSet<String> one = PersistentSet.<String>empty().add("x");
    assertThat(one.remove("x")).isSameAs(PersistentSet.empty());
    assertThat(one.add("x")).isSameAs(one);
    assertThat(one.remove("y")).isSameAs(one);
    assertThat(PersistentSet.empty().contains(null)).isFalse();
  }
}
