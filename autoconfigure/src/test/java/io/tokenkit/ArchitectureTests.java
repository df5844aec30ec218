package io.tokenkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import io.tokenkit.registration.RegistrationTokenSourceFactory;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.SpringAsmInfo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the design: the token core never imports a vendor, vendor packages
 * never import each other, nothing but the auto-configuration depends on the
 * auto-configuration, the internal support package is a bottom layer beside the token
 * core, and the packages where callers wait for tokens never use {@code synchronized}.
 */
class ArchitectureTests {

	/**
	 * Vendor auto-configuration classes, beside the core's in its package, are named
	 * after their vendor.
	 */
	private static final Pattern VENDOR_AUTO_CONFIGURATION = Pattern.compile("(Saasus|GmoAozora|Authlete)");

	private static final Pattern VENDOR_NAME = Pattern.compile("(?i)saasus|aozora|authlete");

	private static final String[] VENDORS = { "io.tokenkit.saasus..", "io.tokenkit.aozora..",
			"io.tokenkit.authlete.." };

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tokenkit");

	@Test
	void coreDoesNotDependOnVendorsOrWiring() {
		noClasses().that()
			.resideInAnyPackage("io.tokenkit.token..", "io.tokenkit.support..", "io.tokenkit.oauth2..",
					"io.tokenkit.web..", "io.tokenkit.observation..", "io.tokenkit.redis..", "io.tokenkit.service..",
					"io.tokenkit.health..", "io.tokenkit.registration..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(VENDORS, "io.tokenkit.autoconfigure.."))
			.check(this.classes);
	}

	@Test
	void waitingPackagesUseNoSynchronizedMethod() {
		// a virtual thread that waits inside synchronized pins its carrier (JDK 21 to 23)
		noMethods().that()
			.areDeclaredInClassesThat()
			.resideInAnyPackage("io.tokenkit.restclient..", "io.tokenkit.token..")
			.should()
			.haveModifier(JavaModifier.SYNCHRONIZED)
			.check(this.classes);
	}

	@Test
	void waitingPackagesUseNoSynchronizedBlock() {
		// ArchUnit does not import monitorenter: the class files are read with Spring's
		// ASM
		classes().that()
			.resideInAnyPackage("io.tokenkit.restclient..", "io.tokenkit.token..")
			.should(enterNoMonitor())
			.check(this.classes);
	}

	@Test
	void blockingVendorClientsUseNoSynchronized() {
		// the blocking vendor clients wait in these packages (support's BlockingCalls)
		String[] packages = concat(VENDORS, "io.tokenkit.support..");
		noMethods().that()
			.areDeclaredInClassesThat()
			.resideInAnyPackage(packages)
			.should()
			.haveModifier(JavaModifier.SYNCHRONIZED)
			.check(this.classes);
		classes().that().resideInAnyPackage(packages).should(enterNoMonitor()).check(this.classes);
	}

	@Test
	void tokenPackageDependsOnNoOtherTokenKitPackage() {
		noClasses().that()
			.resideInAPackage("io.tokenkit.token..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tokenkit.oauth2..", "io.tokenkit.web..", "io.tokenkit.observation..",
					"io.tokenkit.health..")
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

	@Test
	void coreAutoConfigurationDependsOnNoVendor() {
		noClasses().that(coreAutoConfiguration())
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(VENDORS)
			.orShould()
			.dependOnClassesThat(vendorAutoConfiguration())
			.check(this.classes);
	}

	@Test
	void coreAutoConfigurationNamesNoVendor() throws IOException {
		List<Path> core;
		try (Stream<Path> wiring = Files.list(Path.of("src/main/java/io/tokenkit/autoconfigure"));
				Stream<Path> registration = Files.list(Path.of("src/main/java/io/tokenkit/registration"))) {
			core = Stream.concat(wiring, registration)
				.filter((file) -> !VENDOR_AUTO_CONFIGURATION.matcher(file.getFileName().toString()).lookingAt())
				.toList();
		}
		assertThat(core).extracting((file) -> file.getFileName().toString())
			.contains("TokenKitAutoConfiguration.java", "RegistrationTokenSourceFactory.java");
		for (Path file : core) {
			assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern(VENDOR_NAME);
		}
	}

	private static ArchCondition<JavaClass> enterNoMonitor() {
		return new ArchCondition<>("enter no monitor (no synchronized block)") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				String resource = "/" + javaClass.getName().replace('.', '/') + ".class";
				try (InputStream in = ArchitectureTests.class.getResourceAsStream(resource)) {
					if (in == null) {
						events
							.add(SimpleConditionEvent.violated(javaClass, "no class file for " + javaClass.getName()));
						return;
					}
					new ClassReader(in).accept(new ClassVisitor(SpringAsmInfo.ASM_VERSION) {
						@Override
						public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
								String[] exceptions) {
							return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {
								@Override
								public void visitInsn(int opcode) {
									if (opcode == Opcodes.MONITORENTER) {
										events.add(SimpleConditionEvent.violated(javaClass,
												javaClass.getName() + "." + name + " has a synchronized block"));
									}
								}
							};
						}
					}, ClassReader.SKIP_DEBUG);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		};
	}

	private static DescribedPredicate<JavaClass> vendorAutoConfiguration() {
		return DescribedPredicate.describe("are vendor auto-configuration",
				(javaClass) -> javaClass.getPackageName().equals("io.tokenkit.autoconfigure")
						&& isVendorAutoConfiguration(javaClass));
	}

	private static DescribedPredicate<JavaClass> coreAutoConfiguration() {
		return DescribedPredicate.describe("are core auto-configuration",
				(javaClass) -> javaClass.getPackageName().equals("io.tokenkit.autoconfigure")
						&& !isVendorAutoConfiguration(javaClass));
	}

	private static boolean isVendorAutoConfiguration(JavaClass javaClass) {
		// nested classes count as their top-level class
		String topLevel = javaClass.getName().substring(javaClass.getPackageName().length() + 1);
		return VENDOR_AUTO_CONFIGURATION.matcher(topLevel).lookingAt();
	}

	private static String[] concat(String[] first, String... more) {
		String[] result = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, result, first.length, more.length);
		return result;
	}

}
