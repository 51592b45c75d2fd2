package io.cutover.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cutover.plan.StepSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of core, checked on its compiled classes. */
class PackageRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cutover");
    }

    @Test
    void coreHoldsNoAwsTypes() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .because("core is the model and the engine; the AWS SDK belongs in aws-adapter")
                .check(core);
    }

    @Test
    void internalIsUsedOnlyByTheStepKinds() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.cutover.internal..", "io.cutover.step.kinds..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.cutover.internal..")
                .because("internal holds the built-in kinds' helpers; users and other modules get public APIs")
                .check(core);
    }

    @Test
    void thePlanIsAModelThatKnowsNoProviders() {
        noClasses()
                .that()
                .resideInAPackage("io.cutover.plan..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.cutover.spi..", "io.cutover.engine..", "io.cutover.state..")
                .because("a plan is data: the provider SPI, the engine and the state take its values, not the reverse")
                .check(core);
    }

    @Test
    void onlyTheKindsKnowTheStepRecords() {
        DescribedPredicate<JavaClass> stepRecords = DescribedPredicate.describe(
                "a step kind's record", c -> c.isAssignableTo(StepSpec.class) && !c.isEquivalentTo(StepSpec.class));
        noClasses()
                .that()
                .resideInAnyPackage("io.cutover.engine..", "io.cutover.state..", "io.cutover.event..")
                .should()
                .dependOnClassesThat(stepRecords)
                .because("the engine, the state and the events read a step through its kind (StepKinds), so a new "
                        + "kind needs no change there")
                .check(core);
    }

    @Test
    void corePackagesFormNoCycles() {
        slices().matching("io.cutover.(**)").should().beFreeOfCycles().check(core);
    }
}
