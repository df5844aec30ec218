package io.tokenkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the design that no module boundary enforces. The modules already
 * keep the core ({@code tokenkit-core}: token, support, oauth2, observation, web,
 * restclient, service, health, registration) and {@code tokenkit-redis} from importing a
 * vendor or the auto-configuration, and the vendor modules from importing each other or
 * the auto-configuration. Inside the core, the token package and the support package are
 * bottom layers; inside the auto-configuration, its base package knows no vendor and no
 * feature sub-package, and no feature sub-package knows another; the packages where
 * callers wait for tokens never use {@code synchronized}.
 */
class ArchitectureTests {

	private static final Pattern VENDOR_NAME = Pattern.compile("(?i)saasus|aozora|authlete");

	private static final String[] VENDORS = { "io.tokenkit.saasus..", "io.tokenkit.aozora..",
			"io.tokenkit.authlete.." };

	private static final String AUTO_CONFIGURATION = "io.tokenkit.autoconfigure";

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tokenkit");

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
	void baseAutoConfigurationDependsOnNoVendorAndNoFeature() {
		noClasses().that()
			.resideInAPackage(AUTO_CONFIGURATION)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(VENDORS, AUTO_CONFIGURATION + ".*.."))
			.check(this.classes);
	}

	@Test
	void featureAutoConfigurationsDoNotDependOnEachOther() {
		// HTTP service groups are ordered after the RestClient support they build on
		slices().matching(AUTO_CONFIGURATION + ".(*)..")
			.should()
			.notDependOnEachOther()
			.ignoreDependency(resideInAPackage(AUTO_CONFIGURATION + ".service"),
					resideInAPackage(AUTO_CONFIGURATION + ".restclient"))
			.check(this.classes);
	}

	@Test
	void baseAutoConfigurationNamesNoVendor() throws IOException {
		List<Path> base;
		try (Stream<Path> wiring = Files.list(Path.of("src/main/java/io/tokenkit/autoconfigure"));
				Stream<Path> registration = Files.list(Path.of("../core/src/main/java/io/tokenkit/registration"))) {
			base = Stream.concat(wiring, registration).filter(Files::isRegularFile).toList();
		}
		assertThat(base).extracting((file) -> file.getFileName().toString())
			.contains("TokenKitAutoConfiguration.java", "RegistrationTokenSourceFactory.java");
		for (Path file : base) {
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

	private static String[] concat(String[] first, String... more) {
		String[] result = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, result, first.length, more.length);
		return result;
	}

}
