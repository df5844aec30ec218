package io.tokenkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the design: the token core never imports a vendor, vendor packages
 * never import each other, and nothing but the auto-configuration depends on the
 * auto-configuration.
 */
class ArchitectureTests {

	private static final String[] VENDORS = { "io.tokenkit.saasus..", "io.tokenkit.aozora..",
			"io.tokenkit.authlete.." };

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tokenkit");

	@Test
	void coreDoesNotDependOnVendorsOrWiring() {
		noClasses().that()
			.resideInAnyPackage("io.tokenkit.token..", "io.tokenkit.oauth2..", "io.tokenkit.web..",
					"io.tokenkit.observation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(VENDORS, "io.tokenkit.autoconfigure.."))
			.check(this.classes);
	}

	@Test
	void tokenPackageDependsOnNoOtherTokenKitPackage() {
		noClasses().that()
			.resideInAPackage("io.tokenkit.token..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenkit.oauth2..", "io.tokenkit.web..", "io.tokenkit.observation..")
			.check(this.classes);
	}

	@Test
	void vendorsDoNotDependOnEachOther() {
		slices().matching("io.tokenkit.(saasus|aozora|authlete)..")
			.should()
			.notDependOnEachOther()
			.allowEmptyShould(true)
			.check(this.classes);
	}

	@Test
	void vendorsDoNotDependOnWiring() {
		noClasses().that()
			.resideInAnyPackage(VENDORS)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tokenkit.autoconfigure..")
			.allowEmptyShould(true)
			.check(this.classes);
	}

	private static String[] concat(String[] first, String second) {
		String[] result = java.util.Arrays.copyOf(first, first.length + 1);
		result[first.length] = second;
		return result;
	}

}
