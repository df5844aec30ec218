package io.tokenkit.autoconfigure.aozora;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraTokenClient;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.testsupport.DpopProofCheck;
import io.tokenkit.testsupport.ForwardingTokenStore;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfigurationTests.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dpop: true} on the {@code gmo-aozora} registration, auto-configured against a
 * loopback bank: the {@link GmoAozoraClient} bean's code exchange, the registration's
 * refresh and its bank API calls all carry proofs of the registration's
 * {@code client-key}, the API calls as {@code Authorization: DPoP} with {@code ath}; off
 * by default; a second registration of the grant type, or a shared store without a
 * configured key, stops start-up naming {@code dpop}.
 */
class GmoAozoraDpopAutoConfigurationTests {

	private static final String SECRET = "aozora-secret-0123456789abcdefghij";

	/** The application's clock, which the proofs' iat follows. */
	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
						GmoAozoraAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("tokenkit.gmo-aozora.client-id=aozora-app", "tokenkit.gmo-aozora.client-secret=" + SECRET,
				"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
				"tokenkit.gmo-aozora.state-salt=pepper-salt", "tokenkit.gmo-aozora.scopes=private:account",
				"tokenkit.registrations.bank.grant-type=gmo-aozora",
				"tokenkit.registrations.bank.header-name=x-access-token",
				"tokenkit.registrations.bank.header-format={token}");

	@Test
	void dpopWhenOnTheRegistrationThenCodeExchangeRefreshAndBankApiCallsCarryProofsOfItsClientKey() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		String thumbprint = key.computeThumbprint().toString();
		try (MockWebServer server = new MockWebServer()) {
			server.setDispatcher(bank("DPoP"));
			server.start();
			String origin = "http://" + server.getHostName() + ":" + server.getPort();
			this.contextRunner
				.withPropertyValues("tokenkit.gmo-aozora.base-url=" + server.url("/auth/v1"),
						"tokenkit.registrations.bank.dpop=true",
						"tokenkit.registrations.bank.client-key.file=" + key.toJSONString(),
						"tokenkit.clients.bank.base-url=" + server.url("/personal/v1"),
						"tokenkit.clients.bank.registration=bank")
				.withBean(Clock.class, () -> Clock.fixed(NOW, ZoneOffset.UTC))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(GmoAozoraTokenClient.class).getDpop().getThumbprint())
						.isEqualTo(thumbprint);
					AccessToken exchanged = context.getBean(GmoAozoraClient.class)
						.exchangeCode("code-1")
						.block(Duration.ofSeconds(10));
					assertThat(exchanged.getKeyThumbprint()).isEqualTo(thumbprint);
					RecordedRequest exchange = server.takeRequest();
					DpopProofCheck.check(exchange.getHeaders().get("DPoP"), "ES256", thumbprint, "POST",
							origin + "/auth/v1/token", NOW, null, null);

					TokenManager manager = context.getBean(TokenManager.class);
					TokenKey customer = TokenKey.of("bank", "customer-1");
					manager.save(customer, exchanged).block(Duration.ofSeconds(10));
					RecordedRequest first = callAccounts(context, server);
					assertThat(first.getHeaders().get("Authorization")).isEqualTo("DPoP at-1");
					assertThat(first.getHeaders().get("x-access-token")).isNull();
					DpopProofCheck.check(first.getHeaders().get("DPoP"), "ES256", thumbprint, "GET",
							origin + "/personal/v1/accounts", NOW, "at-1", null);

					manager.save(customer,
							exchanged.mutate().issuedAt(NOW.minusSeconds(61)).expiresAt(NOW.minusSeconds(1)).build())
						.block(Duration.ofSeconds(10));
					RecordedRequest refresh = callAccounts(context, server);
					assertThat(refresh.getBody().utf8()).startsWith("grant_type=refresh_token&refresh_token=rt-1");
					DpopProofCheck.check(refresh.getHeaders().get("DPoP"), "ES256", thumbprint, "POST",
							origin + "/auth/v1/token", NOW, null, null);
					RecordedRequest second = server.takeRequest();
					assertThat(second.getHeaders().get("Authorization")).isEqualTo("DPoP at-2");
					DpopProofCheck.check(second.getHeaders().get("DPoP"), "ES256", thumbprint, "GET",
							origin + "/personal/v1/accounts", NOW, "at-2", null);
					assertThat(manager.getCachedToken(customer).getKeyThumbprint()).isEqualTo(thumbprint);
				});
		}
	}

	@Test
	void dpopWhenBankAnswersBearerThenApiCallsCarryTheTokenInTheRegistrationsHeader() throws Exception {
		// the bank documents token_type as fixed Bearer: with dpop on, a bank that does
		// not bind tokens must still get them in x-access-token, the only header its APIs
		// read
		try (MockWebServer server = new MockWebServer()) {
			server.setDispatcher(bank("Bearer"));
			server.start();
			this.contextRunner
				.withPropertyValues("tokenkit.gmo-aozora.base-url=" + server.url("/auth/v1"),
						"tokenkit.registrations.bank.dpop=true",
						"tokenkit.clients.bank.base-url=" + server.url("/personal/v1"),
						"tokenkit.clients.bank.registration=bank")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					AccessToken exchanged = context.getBean(GmoAozoraClient.class)
						.exchangeCode("code-1")
						.block(Duration.ofSeconds(10));
					server.takeRequest();
					context.getBean(TokenManager.class)
						.save(TokenKey.of("bank", "customer-1"), exchanged)
						.block(Duration.ofSeconds(10));
					RecordedRequest call = callAccounts(context, server);
					assertThat(call.getHeaders().get("x-access-token")).isEqualTo("at-1");
					assertThat(call.getHeaders().get("Authorization")).isNull();
					assertThat(call.getHeaders().get("DPoP")).isNull();
				});
		}
	}

	@Test
	void dpopWhenOwnTokenClientBeanSendsNoProofsThenStartUpStopsNamingDpop() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.bank.dpop=true")
			.withBean(GmoAozoraTokenClient.class,
					() -> new GmoAozoraTokenClient(WebClient.create(),
							URI.create("https://api.gmo-aozora.com/ganb/api/auth/v1/token"), "aozora-app", SECRET,
							ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP))
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.registrations.bank.dpop",
					"GmoAozoraTokenClient"));
	}

	@Test
	void dpopOnAGrantTypeWhoseFactorySendsNoProofsThenStartUpStopsNamingDpopAndTheGrantTypesThatSendProofs() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.own.grant-type=own-grant",
					"tokenkit.registrations.own.dpop=true")
			.withBean("ownFactory", RegistrationTokenSourceFactory.class,
					() -> RegistrationTokenSourceFactory.of("own-grant", (registration) -> (key) -> Mono.empty()))
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.registrations.own.dpop", "own-grant",
					"(client_credentials, refresh_token, gmo-aozora)"));
	}

	/**
	 * A loopback bank: its token endpoint answers at-1, at-2, ... of a token type, its
	 * APIs an empty account list.
	 */
	private static Dispatcher bank(String tokenType) {
		AtomicInteger tokens = new AtomicInteger();
		return new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				if (request.getTarget().equals("/auth/v1/token")) {
					int n = tokens.incrementAndGet();
					return new MockResponse.Builder().addHeader("Content-Type", "application/json")
						.body("{\"access_token\":\"at-" + n + "\",\"refresh_token\":\"rt-" + n + "\",\"token_type\":\""
								+ tokenType + "\",\"expires_in\":2592000}")
						.build();
				}
				return new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body("{\"accounts\":[]}")
					.build();
			}
		};
	}

	/** Call the bank's API for customer-1 and return the first request the bank got. */
	private static RecordedRequest callAccounts(org.springframework.context.ApplicationContext context,
			MockWebServer server) throws InterruptedException {
		context.getBean("bankWebClient", WebClient.class)
			.get()
			.uri("/accounts")
			.attributes(BearerTokenExchangeFilterFunction.subject("customer-1"))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		return server.takeRequest();
	}

	@Test
	void dpopWhenNotSetThenTheBankTokenClientSendsNoProofs() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(GmoAozoraTokenClient.class).getDpop()).isNull();
		});
	}

	@Test
	void dpopWithoutClientKeyOnTheInMemoryStoreThenAKeyOfThisInstanceSignsTheProofs() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.bank.dpop=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(GmoAozoraTokenClient.class).getDpop().getAlgorithm().jwsName())
				.isEqualTo("ES256");
		});
	}

	@Test
	void dpopWhenAnotherRegistrationHasTheGrantTypeThenStartUpStopsNamingDpop() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.bank.dpop=true",
					"tokenkit.registrations.bank2.grant-type=gmo-aozora")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.registrations.bank.dpop", "bank2"));
	}

	@Test
	void dpopWhenSharedStoreWithoutConfiguredKeyThenStartUpStopsNamingDpop() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.bank.dpop=true")
			.withBean(TokenStore.class, SharedStore::new)
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.registrations.bank.dpop",
					"client-key"));
	}

	/** A store that is not the in-memory one, as the Redis store is not. */
	static class SharedStore extends ForwardingTokenStore {

		SharedStore() {
			super(new InMemoryTokenStore(Clock.systemUTC(), null));
		}

	}

}
