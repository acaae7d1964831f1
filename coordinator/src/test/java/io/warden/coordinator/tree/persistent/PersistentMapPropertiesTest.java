package io.warden.coordinator.tree.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link PersistentMap} behaves like {@link HashMap} under random operation sequences, including
 * keys whose hash codes collide (forcing collision nodes below the last trie level), keeps every
 * old version unchanged, and keeps its trie canonical. jqwik prints the seed of a failing run.
 */
class PersistentMapPropertiesTest {

  /** A key with a chosen hash code, so tests control collisions. */
  record Key(int id, int hash) {
    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.id == id;
    }
  }

  record Op(boolean put, Key key, int value) {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    // keyspace sizes and hash functions vary per run: tiny hash ranges force deep collisions
    Arbitrary<Integer> hashBuckets = Arbitraries.of(1, 2, 7, 1000, Integer.MAX_VALUE);
    return hashBuckets.flatMap(buckets -> {
      Arbitrary<Key> keys = Arbitraries.integers().between(0, 300)
          .map(id -> new Key(id, buckets == Integer.MAX_VALUE ? id * 0x9E3779B1 : id % buckets));
      Arbitrary<Op> op = Combinators.combine(
          Arbitraries.integers().between(0, 99).map(p -> p < 65),
          keys,
          Arbitraries.integers().between(0, 5)).as(Op::new);
      return op.list().ofMaxSize(600);
    });
  }

  @Property(tries = 300)
  void behavesLikeHashMap(@ForAll("ops") List<Op> ops) {
    PersistentMap<Key, Integer> map = PersistentMap.empty();
    Map<Key, Integer> model = new HashMap<>();
    for (Op op : ops) {
      if (op.put()) {
        map = map.put(op.key(), op.value());
        model.put(op.key(), op.value());
      } else {
        map = map.remove(op.key());
        model.remove(op.key());
      }
      assertThat(map.size()).isEqualTo(model.size());
      assertThat(map.get(op.key())).isEqualTo(model.get(op.key()));
    }
    map.checkInvariants();
    assertThat(toHashMap(map)).isEqualTo(model);
    for (Op op : ops) {
      assertThat(map.containsKey(op.key())).isEqualTo(model.containsKey(op.key()));
    }
  }

  @Property(tries = 100)
  void oldVersionsNeverChange(@ForAll("ops") List<Op> ops) {
    List<PersistentMap<Key, Integer>> versions = new ArrayList<>();
    List<Map<Key, Integer>> expected = new ArrayList<>();
    PersistentMap<Key, Integer> map = PersistentMap.empty();
    Map<Key, Integer> model = new HashMap<>();
    for (Op op : ops) {
      versions.add(map);
      expected.add(new HashMap<>(model));
      map = op.put() ? map.put(op.key(), op.value()) : map.remove(op.key());
      if (op.put()) {
        model.put(op.key(), op.value());
      } else {
        model.remove(op.key());
      }
    }
    for (int i = 0; i < versions.size(); i++) {
      versions.get(i).checkInvariants();
      assertThat(toHashMap(versions.get(i))).as("version %d", i).isEqualTo(expected.get(i));
    }
  }

  @Property(tries = 100)
  void shapeAndOrderDependOnlyOnTheKeys(@ForAll("ops") List<Op> ops) {
    PersistentMap<Key, Integer> map = PersistentMap.empty();
    for (Op op : ops) {
      map = op.put() ? map.put(op.key(), op.value()) : map.remove(op.key());
    }
    List<Map.Entry<Key, Integer>> entries = new ArrayList<>();
    map.forEach((k, v) -> entries.add(Map.entry(k, v)));
    boolean collisions = entries.stream().map(e -> e.getKey().hash()).distinct().count()
        < entries.size();
    Collections.reverse(entries);
    PersistentMap<Key, Integer> rebuilt = PersistentMap.empty();
    for (Map.Entry<Key, Integer> e : entries) {
      rebuilt = rebuilt.put(e.getKey(), e.getValue());
    }
    List<Key> order = new ArrayList<>();
    map.forEach((k, v) -> order.add(k));
    List<Key> rebuiltOrder = new ArrayList<>();
    rebuilt.forEach((k, v) -> rebuiltOrder.add(k));
    if (collisions) {
      assertThat(rebuiltOrder).containsExactlyInAnyOrderElementsOf(order);
    } else {
      assertThat(rebuiltOrder).containsExactlyElementsOf(order);
    }
  }

  @Property(tries = 100)
  void iteratorAndForEachAgree(@ForAll("ops") List<Op> ops) {
    PersistentMap<Key, Integer> map = PersistentMap.empty();
    for (Op op : ops) {
      map = op.put() ? map.put(op.key(), op.value()) : map.remove(op.key());
    }
    List<Map.Entry<Key, Integer>> viaForEach = new ArrayList<>();
    map.forEach((k, v) -> viaForEach.add(Map.entry(k, v)));
    List<Map.Entry<Key, Integer>> viaIterator = new ArrayList<>();
    map.iterator().forEachRemaining(e -> viaIterator.add(Map.entry(e.getKey(), e.getValue())));
    assertThat(viaIterator).containsExactlyElementsOf(viaForEach);
  }

  @Test
  void unchangedUpdatesReturnTheSameInstance() {
    PersistentMap<String, String> map = PersistentMap.<String, String>empty().put("a", "1");
    String one = map.get("a");
    assertThat(map.put("a", one)).isSameAs(map);
    assertThat(map.remove("b")).isSameAs(map);
    assertThat(map.remove("a")).isSameAs(PersistentMap.empty());
  }

  @Test
  void manyStringKeysRoundTrip() {
    PersistentMap<String, Integer> map = PersistentMap.empty();
    for (int i = 0; i < 100_000; i++) {
      map = map.put("/brokers/ids/" + i, i);
    }
    map.checkInvariants();
    assertThat(map.size()).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i += 2) {
      map = map.remove("/brokers/ids/" + i);
    }
    map.checkInvariants();
    assertThat(map.size()).isEqualTo(50_000);
    assertThat(map.get("/brokers/ids/7")).isEqualTo(7);
    assertThat(map.get("/brokers/ids/8")).isNull();
  }

  private static <K, V> Map<K, V> toHashMap(PersistentMap<K, V> map) {
    Map<K, V> out = new HashMap<>();
    for (Map.Entry<K, V> e : map) {
      assertThat(out.put(e.getKey(), e.getValue())).as("duplicate key %s", e.getKey()).isNull();
    }
    return out;
  }

  @Provide
  Arbitrary<List<Key>> distinctKeys() {
    Arbitrary<Integer> hashBuckets = Arbitraries.of(1, 2, 7, 1000, Integer.MAX_VALUE);
    return hashBuckets.flatMap(buckets -> Arbitraries.integers().between(0, 3000)
        .map(id -> new Key(id, buckets == Integer.MAX_VALUE ? id * 0x9E3779B1 : id % buckets))
        .list().uniqueElements().ofMaxSize(1500));
  }

  /** Built at once, a map is the very trie the puts in the same order build: same entries, same order. */
  @Property(tries = 200)
  void builtAtOnceEqualsBuiltByPuts(@ForAll("distinctKeys") List<Key> keys) {
    PersistentMap<Key, Integer> byPuts = PersistentMap.empty();
    PersistentSet<Key> setByAdds = PersistentSet.empty();
    List<Integer> values = new ArrayList<>();
    for (Key k : keys) {
      byPuts = byPuts.put(k, k.id() * 7);
      setByAdds = setByAdds.add(k);
      values.add(k.id() * 7);
    }
    PersistentMap<Key, Integer> atOnce = PersistentMap.ofDistinct(keys, values);
    atOnce.checkInvariants();
    assertThat(atOnce.size()).isEqualTo(keys.size());
    List<Map.Entry<Key, Integer>> expected = new ArrayList<>();
    byPuts.forEach((k, v) -> expected.add(Map.entry(k, v)));
    List<Map.Entry<Key, Integer>> actual = new ArrayList<>();
    atOnce.forEach((k, v) -> actual.add(Map.entry(k, v)));
    assertThat(actual).containsExactlyElementsOf(expected);
    PersistentSet<Key> setAtOnce = PersistentSet.ofDistinct(keys);
    setAtOnce.checkInvariants();
    assertThat(setAtOnce.toList()).containsExactlyElementsOf(setByAdds.toList());
    // and it is a working persistent map: updates after the build keep it canonical
    if (!keys.isEmpty()) {
      Key first = keys.get(0);
      assertThat(atOnce.remove(first).size()).isEqualTo(keys.size() - 1);
      atOnce.remove(first).checkInvariants();
      assertThat(atOnce.put(new Key(-1, first.hash()), 1).get(new Key(-1, first.hash()))).isEqualTo(1);
    }
  }

  @Property(tries = 50)
  void aDuplicateKeyIsRefused(@ForAll("distinctKeys") List<Key> keys) {
    net.jqwik.api.Assume.that(!keys.isEmpty());
    List<Key> withDuplicate = new ArrayList<>(keys);
    withDuplicate.add(keys.get(keys.size() / 2));
    List<Integer> values = withDuplicate.stream().map(Key::id).toList();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PersistentMap.ofDistinct(withDuplicate, values))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate key");
  }
}
