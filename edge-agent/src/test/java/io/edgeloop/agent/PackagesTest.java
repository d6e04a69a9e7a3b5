package io.edgeloop.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages (docs/architecture.md): no cycles; {@code pipeline} wires the rest and only {@code cli}
 * depends on it; picocli stays in {@code cli}; no DJL or PyTorch on a device.
 */
class PackagesTest {

    private static final String ROOT = "io.edgeloop.agent";
    private static JavaClasses agent;

    @BeforeAll
    static void importClasses() {
        agent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(agent);
    }

    @Test
    void thePipelineIsWiredOnlyByTheCommands() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".cli..", ROOT + ".pipeline..").should()
                .dependOnClassesThat().resideInAPackage(ROOT + ".pipeline..").check(agent);
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".cli..", "picocli..").check(agent);
    }

    @Test
    void noTrainingEngineOnADevice() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.edgeloop.trainer..")
                .check(agent);
    }
}
