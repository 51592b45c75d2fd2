package io.cutover.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The simulator ships in the CLI's jar and on users' class paths (rehearsals), so none of its classes may
 * need a test framework; the contract suites that do live in the tck module.
 */
@AnalyzeClasses(packages = "io.cutover.simulator", importOptions = ImportOption.DoNotIncludeTests.class)
class NoTestFrameworkTest {
    @ArchTest
    static final ArchRule noJUnitOrAssertJ = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.junit..", "org.assertj..", "junit..")
            .because("the simulator is a runtime library (the CLI's --simulate); test frameworks belong in tck");
}
