package io.tokenkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the design: the token core never imports a vendor, vendor packages
 * never import each other, nothing but the auto-configuration depends on the
 * auto-configuration, and the internal support package is a bottom layer beside the token
 * core.
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
			.resideInAnyPackage("io.tokenkit.token..", "io.tokenkit.support..", "io.tokenkit.oauth2..",
					"io.tokenkit.web..", "io.tokenkit.observation..")
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
	void supportPackageDependsOnNoOtherTokenKitPackage() {
		noClasses().that()
			.resideInAPackage("io.tokenkit.support..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(VENDORS, "io.tokenkit.oauth2..", "io.tokenkit.web..",
					"io.tokenkit.observation..", "io.tokenkit.redis..", "io.tokenkit.autoconfigure.."))
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

	private static String[] concat(String[] first, String... more) {
		String[] result = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, result, first.length, more.length);
		return result;
	}

}
