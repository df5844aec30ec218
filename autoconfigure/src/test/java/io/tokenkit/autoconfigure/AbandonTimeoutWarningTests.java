package io.tokenkit.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the start-up warning when the {@link TokenManager} would abandon an
 * acquisition ({@code 4 × tokenkit.acquire-timeout}) before a token call under
 * {@code tokenkit.token-calls.*} may end.
 */
@ExtendWith(OutputCaptureExtension.class)
class AbandonTimeoutWarningTests {

	private static final String WARNING = "TokenKit abandons a token acquisition after";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class));

	@Test
	void startWhenAcquisitionsAreAbandonedBeforeATokenCallMayEndThenOneWarningNamingBothFiguresAndTheProperties(
			CapturedOutput output) {
		this.contextRunner.withPropertyValues("tokenkit.acquire-timeout=5s").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TokenManager.class).getAbandonTimeout()).isEqualTo(Duration.ofSeconds(20));
		});
		assertThat(output.getAll().lines().filter((line) -> line.contains(WARNING))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("4 x tokenkit.acquire-timeout (5s) = 20s")
				.contains("a token call may take up to 46.6s under tokenkit.token-calls.*")
				.contains("3 attempts of connect-timeout 5s + response-timeout 10s, and 2 waits of up to 0.8s")
				.contains("Set tokenkit.acquire-timeout to at least 12s")
				.contains("tokenkit.token-calls.connect-timeout, response-timeout, max-retries or retry-backoff"));
	}

	@Test
	void startWhenTokenCallsAreLongerThanTheDefaultAcquireTimeoutAllowsThenWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("tokenkit.token-calls.response-timeout=40s", "tokenkit.token-calls.max-retries=3")
			.run((context) -> assertThat(context).hasNotFailed());
		// 4 × (5 s + 40 s) + 3 × 1.6 s = 184.8 s > 4 × 30 s
		assertThat(output).contains("= 120s, but a token call may take up to 184.8s")
			.contains("Set tokenkit.acquire-timeout to at least 47s");
	}

	@Test
	void startWhenARegistrationDiscoversItsTokenEndpointThenTheMetadataFetchCountsToo(CapturedOutput output) {
		// 4 x 12 s = 48 s is enough for a 46.6 s token call, not for a 46 s metadata
		// fetch before it
		this.contextRunner.withPropertyValues("tokenkit.acquire-timeout=12s").run((context) -> {
			assertThat(context).hasNotFailed();
		});
		assertThat(output).doesNotContain(WARNING);
		this.contextRunner
			.withPropertyValues("tokenkit.acquire-timeout=12s",
					"tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.issuer-uri=https://auth.example.com/realms/shop",
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=s3cret")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll().lines().filter((line) -> line.contains(WARNING))).singleElement()
			.satisfies((line) -> assertThat(line).contains("4 x tokenkit.acquire-timeout (12s) = 48s")
				.contains("a token call may take up to 92.6s")
				.contains("after up to 46s to fetch the issuer's metadata first")
				.contains("Set tokenkit.acquire-timeout to at least 24s")
				.doesNotContain("s3cret"));
	}

	@Test
	void startWhenDefaultsThenNoWarning(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void longestCallOfTheDefaultPolicyIsWhatTheWarningCompares() {
		assertThat(TokenCallPolicy.DEFAULT.longestCall()).isEqualTo(Duration.ofMillis(46_600));
		assertThat(AcquisitionTimeLimits.warning(Duration.ofMillis(11_650), Duration.ofMillis(46_600),
				TokenCallPolicy.DEFAULT, false))
			.isNull();
		assertThat(AcquisitionTimeLimits.warning(Duration.ofMillis(11_649), Duration.ofMillis(46_596),
				TokenCallPolicy.DEFAULT, false))
			.contains("46.6s");
	}

}
