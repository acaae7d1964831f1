package io.warden.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN.md §2, enforced rather than hoped for. The pure core (raft,
 * tree, session, watch, fsm, util) sees only the JDK, the wire records and the core packages it
 * builds on; {@code node} adds its own interfaces and SLF4J; only the edge packages (storage,
 * net, admin, cli, server) may see Vert.x, Netty, RocksDB, Micrometer, Jackson or picocli. The
 * core is also free of threads, clocks, sockets and files (STYLE.md habits 1 and 5).
 */
@AnalyzeClasses(packages = "io.warden.coordinator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String JDK = "java..";
  private static final String PROTOCOL = "io.warden.protocol..";

  @ArchTest
  static final ArchRule leafCorePackagesSeeOnlyTheJdkAndTheWire = classes()
      .that().resideInAnyPackage("..coordinator.tree..", "..coordinator.session..", "..coordinator.watch..",
          "..coordinator.util..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, PROTOCOL, "..coordinator.tree..",
          "..coordinator.session..", "..coordinator.watch..", "..coordinator.util..")
      .andShould().onlyDependOnClassesThat().resideOutsideOfPackages("..coordinator.raft..", "..coordinator.fsm..",
          "..coordinator.node..");

  @ArchTest
  static final ArchRule raftSeesOnlyTheJdkAndUtil = classes()
      .that().resideInAPackage("..coordinator.raft..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "..coordinator.raft..", "..coordinator.util..");

  @ArchTest
  static final ArchRule fsmBuildsOnTheCoreOnly = classes()
      .that().resideInAPackage("..coordinator.fsm..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, PROTOCOL, "..coordinator.fsm..",
          "..coordinator.tree..", "..coordinator.session..", "..coordinator.raft..", "..coordinator.util..");

  @ArchTest
  static final ArchRule nodeSeesTheCoreAndItsOwnInterfaces = classes()
      .that().resideInAPackage("..coordinator.node..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, PROTOCOL, "org.slf4j..",
          "..coordinator.node..", "..coordinator.fsm..", "..coordinator.tree..", "..coordinator.session..",
          "..coordinator.watch..", "..coordinator.raft..", "..coordinator.util..");

  @ArchTest
  static final ArchRule thePureCoreHasNoThreadsClocksSocketsOrFiles = noClasses()
      .that().resideInAnyPackage("..coordinator.raft..", "..coordinator.tree..", "..coordinator.session..",
          "..coordinator.watch..", "..coordinator.fsm..", "..coordinator.util..")
      .should().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..", "java.net..", "java.nio.file..",
          "java.nio.channels..", "java.time..")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
      .orShould().callMethod(System.class, "currentTimeMillis")
      .orShould().callMethod(System.class, "nanoTime");

  @ArchTest
  static final ArchRule theNodeLoopReadsTimeOnlyThroughItsClock = noClasses()
      .that().resideInAPackage("..coordinator.node..").and().haveNameNotMatching(".*\\.node\\.Clock(\\$.*)?")
      .should().callMethod(System.class, "currentTimeMillis")
      .orShould().callMethod(System.class, "nanoTime");

  @ArchTest
  static final ArchRule onlyTheEdgeSeesIoLibraries = noClasses()
      .that().resideInAnyPackage("..coordinator.raft..", "..coordinator.tree..", "..coordinator.session..",
          "..coordinator.watch..", "..coordinator.fsm..", "..coordinator.node..", "..coordinator.util..",
          "..coordinator.config..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "org.rocksdb..",
          "io.micrometer..", "com.fasterxml..", "picocli..");

  @ArchTest
  static final ArchRule rocksDbStaysInStorage = noClasses()
      .that().resideOutsideOfPackage("..coordinator.storage..")
      .should().dependOnClassesThat().resideInAPackage("org.rocksdb..");

  @ArchTest
  static final ArchRule configIsPlainJava = classes()
      .that().resideInAPackage("..coordinator.config..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "org.slf4j..", "..coordinator.config..");
}
