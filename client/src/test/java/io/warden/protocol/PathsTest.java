package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Paths} accepts exactly the paths ZooKeeper's own PathUtils accepts (the oracle). */
class PathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/b", "/...", "/a.", "/.a", "/a..", "/..a", "/a/.../b",
      "/zookeeper/config", "/\u00e9t\u00e9", "/a b", "/\ufefftext"})
  void acceptsValidPaths(String path) {
    assertThat(Paths.validate(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..", "/a/.", "/a/..",
      "/./a", "/../a", "/a\u0000b", "/a\u0001", "/a\u001f", "/\u007f", "/\u009f", "/\ud800",
      "/\uf8ff", "/\ufff0", "/\uffff"})
  void rejectsInvalidPaths(String path) {
    assertThat(Paths.validate(path)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/queue/", "/", "/a", "/a/lock-"})
  void sequentialPathsMayEndInSlash(String path) {
    assertThat(Paths.validateSequential(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"queue", "/a//", "/./", "/../"})
  void invalidSequentialPaths(String path) {
    assertThat(Paths.validateSequential(path)).isNotNull();
  }

  @Provide
  Arbitrary<String> pathLike() {
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of('/', '.', 'a')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0000', '\u00ff')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\ud7f0', '\ud810')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\uf8f0', '\uf900')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\uffe0', '\uffff')));
    return chars.list().ofMaxSize(12).map(cs -> {
      StringBuilder sb = new StringBuilder();
      cs.forEach(sb::append);
      return sb.toString();
    });
  }

  @Property(tries = 5000)
  void agreesWithZooKeeper(@ForAll("pathLike") String path) {
    assertThat(Paths.validate(path) == null).as("valid(%s)", path)
        .isEqualTo(zkAccepts(path, false));
    assertThat(Paths.validateSequential(path) == null).as("validSequential(%s)", path)
        .isEqualTo(zkAccepts(path, true));
  }

  private static boolean zkAccepts(String path, boolean sequential) {
    try {
      PathUtils.validatePath(path, sequential);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
