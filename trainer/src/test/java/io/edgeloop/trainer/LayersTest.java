package io.edgeloop.trainer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's layers (docs/architecture.md): {@code cli} (commands) → {@code demo} (the closed loop as a
 * workflow) → {@code job} (application services) → the domain packages. Nothing depends upward, and no two
 * packages depend on each other.
 */
class LayersTest {

    private static final String ROOT = "io.edgeloop.trainer";
    private static JavaClasses trainer;

    @BeforeAll
    static void importClasses() {
        trainer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(trainer);
    }

    @Test
    void onlyTheCommandsKnowPicocli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..").should().dependOnClassesThat()
                .resideInAPackage("picocli..").check(trainer);
    }

    @Test
    void nothingDependsOnTheCommands() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..").should().dependOnClassesThat()
                .resideInAPackage(ROOT + ".cli..").check(trainer);
    }

    @Test
    void theDomainDependsOnNoServiceOrWorkflow() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".cli..", ROOT + ".demo..", ROOT + ".job..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".job..", ROOT + ".demo..")
                .check(trainer);
        noClasses().that().resideInAPackage(ROOT + ".job..").should().dependOnClassesThat()
                .resideInAPackage(ROOT + ".demo..").check(trainer);
    }
}
