package io.warden.brokersim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The fleet talks to its coordinator only through warden-client, as a real Kafka fleet talks to
 * ZooKeeper only through a client; the demo launcher alone may embed coordinator nodes.
 */
@AnalyzeClasses(packages = "io.warden.brokersim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule onlyTheDemoLauncherEmbedsCoordinators = noClasses()
      .that().resideOutsideOfPackage("io.warden.brokersim.cli..")
      .should().dependOnClassesThat().resideInAPackage("io.warden.coordinator..");

  @ArchTest
  static final ArchRule theFleetDoesNotDependOnTheLauncher = noClasses()
      .that().resideOutsideOfPackage("io.warden.brokersim.cli..")
      .should().dependOnClassesThat().resideInAPackage("io.warden.brokersim.cli..");
}
