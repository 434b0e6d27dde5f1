package io.bootdesk.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/** Keeps the arrows of design.md ("Rooms") true. */
class LayerRulesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bootdesk");

    @Test
    void layersDependOnlyDownwards() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy("io.bootdesk.model..")
                .layer("net").definedBy("io.bootdesk.net..")
                .layer("store").definedBy("io.bootdesk.store..")
                .layer("core").definedBy("io.bootdesk.core..")
                .layer("pki").definedBy("io.bootdesk.pki..")
                .layer("protocols").definedBy("io.bootdesk.dhcp..", "io.bootdesk.tftp..", "io.bootdesk.http..")
                .layer("console").definedBy("io.bootdesk.console..")
                .layer("engine").definedBy("io.bootdesk.engine..")
                .layer("cli").definedBy("io.bootdesk.cli..")
                .layer("ui").definedBy("io.bootdesk.ui..")
                .whereLayer("ui").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("engine").mayOnlyBeAccessedByLayers("cli", "ui")
                .whereLayer("protocols").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("console").mayOnlyBeAccessedByLayers("engine", "cli", "ui")
                .whereLayer("pki").mayOnlyBeAccessedByLayers("protocols", "engine")
                .whereLayer("core").mayOnlyBeAccessedByLayers("protocols", "console", "engine", "ui")
                .whereLayer("store").mayOnlyBeAccessedByLayers("core", "protocols", "console", "engine")
                .whereLayer("net").mayOnlyBeAccessedByLayers("protocols", "engine", "console")
                .whereLayer("model").mayOnlyBeAccessedByLayers("store", "core", "pki", "protocols", "console", "engine", "cli", "ui")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void protocolPackagesDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.bootdesk.dhcp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bootdesk.tftp..", "io.bootdesk.http..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.bootdesk.tftp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bootdesk.dhcp..", "io.bootdesk.http..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.bootdesk.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bootdesk.dhcp..", "io.bootdesk.tftp..")
                .check(CLASSES);
    }

    @Test
    void onlyTheUiImportsJavaFx() {
        noClasses().that().resideOutsideOfPackage("io.bootdesk.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(CLASSES);
    }

    @Test
    void codecsDoNotTouchTheDatabase() {
        noClasses().that().haveSimpleNameEndingWith("Codec")
                .should().dependOnClassesThat().resideInAnyPackage("io.bootdesk.store..", "java.sql..")
                .check(CLASSES);
    }
}
