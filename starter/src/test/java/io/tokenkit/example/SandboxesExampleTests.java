// tag::testing-page[]
package io.tokenkit.example;

import io.tokenkit.saasus.Credentials;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.test.AutoConfigureMockTokenServer;
import io.tokenkit.test.sandbox.SaasusSandbox;
import io.tokenkit.test.sandbox.Sandbox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor sandbox through the annotation: TokenKit's SaaSus client against the kit's
 * SaaSus sandbox, with no SaaSus setting of the application's own.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("example")
@AutoConfigureMockTokenServer(sandboxes = Sandbox.SAASUS)
class SandboxesExampleTests {

	@Autowired
	private SaasusSandbox saasus;

	@Autowired
	private SaasusClient client;

	@Test
	void signedInUserWhenCodeExchangedThenCredentials() {
		String code = this.saasus.signIn("alice");
		Credentials credentials = this.client.getCredentials(code).block();
		assertThat(credentials.accessToken()).isNotEmpty();
		assertThat(credentials.refreshToken()).isNotEmpty();
	}

}
// end::testing-page[]
