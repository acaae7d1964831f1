package io.warden.coordinator.tree;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md's dependency rule for the tree: the JDK and {@code io.warden.protocol} only; and the
 * core stays pure (no threads, clocks, files or sockets in it).
 */
@AnalyzeClasses(packages = "io.warden.coordinator.tree",
    importOptions = ImportOption.DoNotIncludeTests.class)
class TreeDependencyRuleTest {

  @ArchTest
  static final ArchRule onlyJdkAndProtocol = classes()
      .that().resideInAPackage("io.warden.coordinator.tree..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.warden.protocol..", "io.warden.coordinator.tree..");

  @ArchTest
  static final ArchRule noThreadsClocksFilesOrSockets = noClasses()
      .that().resideInAPackage("io.warden.coordinator.tree..")
      .should().dependOnClassesThat()
      .resideInAnyPackage("java.util.concurrent..", "java.net..", "java.nio.file..", "java.time..")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File");
}
