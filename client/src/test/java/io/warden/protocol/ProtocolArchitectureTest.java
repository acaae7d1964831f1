package io.warden.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The wire contract is JDK-only (DESIGN.md §2): the server and every client can share it. */
@AnalyzeClasses(packages = "io.warden.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ProtocolArchitectureTest {
  @ArchTest
  static final ArchRule jdkOnly = classes()
      .that().resideInAPackage("io.warden.protocol..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.warden.protocol..");
}
