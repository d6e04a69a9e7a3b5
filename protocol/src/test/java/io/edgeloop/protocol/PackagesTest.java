package io.edgeloop.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** protocol is what both sides agree on (docs/architecture.md): no package cycles, no engine, no CLI, no client. */
class PackagesTest {

    private static JavaClasses protocol;

    @BeforeAll
    static void importClasses() {
        protocol = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.edgeloop.protocol");
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.edgeloop.protocol.(*)..").should().beFreeOfCycles().check(protocol);
    }

    @Test
    void dependsOnNoEngineCliOrMqttClient() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.onnxruntime..", "picocli..",
                "org.eclipse.paho..", "io.edgeloop.trainer..", "io.edgeloop.agent..").check(protocol);
    }
}
