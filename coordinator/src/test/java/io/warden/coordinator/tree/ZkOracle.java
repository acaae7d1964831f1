package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import io.warden.protocol.Id;
import io.warden.protocol.Stat;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.data.ACL;

/**
 * The ZooKeeper jar as a test oracle, and conversions between its records and ours.
 *
 * <p>ZooKeeper's server classes (its DataTree) need Dropwizard metrics-core, which the ZooKeeper
 * pom declares "provided", so it is not on our test classpath unless added
 * ({@code io.dropwizard.metrics:metrics-core} in test scope, or for one run
 * {@code -Dmaven.test.additionalClasspath=.../metrics-core-4.1.12.1.jar}); an embedded server
 * also needs {@code org.xerial.snappy:snappy-java}. Tests that need them
 * are skipped without it; the rest of each test class runs regardless.
 */
final class ZkOracle {
  private ZkOracle() {
  }

  static boolean serverClassesAvailable() {
    return present("com.codahale.metrics.Reservoir");
  }

  /** A whole embedded server also needs snappy-java (its snapshot streams), "provided" too. */
  static boolean embeddedServerAvailable() {
    return serverClassesAvailable() && present("org.xerial.snappy.SnappyInputStream");
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ZkOracle.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static void requireServerClasses() {
    requireOracle(serverClassesAvailable(), "ZooKeeper's server classes need metrics-core on the test classpath");
  }

  static void requireEmbeddedServer() {
    requireOracle(embeddedServerAvailable(), "an embedded ZooKeeper server needs metrics-core and snappy-java on the test classpath");
  }

  static org.apache.zookeeper.data.Stat toZk(Stat s) {
    return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(),
        s.version(), s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(),
        s.numChildren(), s.pzxid());
  }

  static List<Acl> fromZkAcl(List<ACL> acl) {
    List<Acl> out = new ArrayList<>();
    for (ACL a : acl) {
      out.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
    }
    return out;
  }

  static List<ACL> toZkAcl(List<Acl> acl) {
    List<ACL> out = new ArrayList<>();
    for (Acl a : acl) {
      out.add(new ACL(a.perms(), new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
    }
    return out;
  }

  /** The oracle's runtime classes are test-scope dependencies in the pom: missing means broken, never "skip". */
  private static void requireOracle(boolean present, String what) {
    if (!present) {
      throw new IllegalStateException(what + " (they are test-scope dependencies in the pom)");
    }
  }
}
