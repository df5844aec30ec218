package io.tokenkit.saasus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.JsonArbitraries;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.StubAnswers;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of reading SaaSus credentials: whatever {@code GET /credentials}
 * answers, a refresh gives a token that lives between one second and the longest
 * lifetime, or a {@link SaasusApiException}; and {@link SaasusTokenConverter} turns any
 * credentials into a token, never an exception.
 */
class SaasusAnswerPropertyTests {

	private static final Instant SENT = Instant.parse("2026-11-23T04:15:00Z");

	private static final List<String> KEYS = List.of("id_token", "access_token", "refresh_token", "type", "message",
			"data", "code");

	private final MutableClock clock = new MutableClock(SENT);

	private final StubAnswers answers = new StubAnswers();

	private final SaasusTokenSource source = new SaasusTokenSource(
			new SaasusClient(this.answers.builder(), URI.create("https://api.saasus.io/v1/auth"),
					new SaasusRequestSigner("saas-1", "ak-1", "sk-1", this.clock), TokenRequestObserver.NOOP),
			new SaasusTokenConverter(this.clock, TokenLifetimes.DEFAULT, SaasusBearerToken.ACCESS_TOKEN));

	@Property(tries = 300)
	void refreshWhenAnswerIsRandomObjectThenTokenOrTypedException(@ForAll("objects") String body,
			@ForAll("statuses") int status) {
		check(status, body.getBytes(StandardCharsets.UTF_8));
	}

	@Property(tries = 300)
	void refreshWhenAnswerIsMutatedCredentialsThenTokenOrTypedException(@ForAll("mutated") String body) {
		check(200, body.getBytes(StandardCharsets.UTF_8));
	}

	@Property(tries = 200)
	void refreshWhenAnswerIsRandomBytesThenTokenOrTypedException(@ForAll byte[] body, @ForAll("statuses") int status) {
		check(status, body);
	}

	@Property(tries = 300)
	void convertWhenAnyCredentialsThenToken(@ForAll("tokens") String idToken, @ForAll("tokens") String accessToken,
			@ForAll @IntRange(min = -100000, max = 100000) int expOffset) {
		SaasusTokenConverter converter = new SaasusTokenConverter(this.clock, TokenLifetimes.DEFAULT,
				SaasusBearerToken.ACCESS_TOKEN);
		AccessToken token = converter.convert(new Credentials(idToken, accessToken, null), "rt-0", SENT);
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(Duration.between(SENT, token.getExpiresAt())).isBetween(Duration.ZERO, TokenLifetimes.LONGEST);
		String jwt = SaasusTokenConverterTests.jwt("{\"exp\":" + (SENT.getEpochSecond() + expOffset) + "}");
		AccessToken fromJwt = converter.convert(new Credentials(idToken, jwt, null), null, SENT);
		assertThat(fromJwt.getExpiresAt()).isEqualTo((expOffset <= 0) ? SENT : SENT.plusSeconds(expOffset));
	}

	@Provide
	Arbitrary<String> objects() {
		return JsonArbitraries.object(2, KEYS);
	}

	@Provide
	Arbitrary<String> mutated() {
		Map<String, String> valid = new LinkedHashMap<>();
		valid.put("id_token", "\"id-1\"");
		valid.put("access_token", JsonArbitraries
			.quote(SaasusTokenConverterTests.jwt("{\"exp\":" + SENT.plusSeconds(600).getEpochSecond() + "}")));
		valid.put("refresh_token", "\"rt-2\"");
		return JsonArbitraries.mutated(valid, KEYS);
	}

	@Provide
	Arbitrary<Integer> statuses() {
		return Arbitraries.of(200, 200, 200, 201, 204, 400, 401, 404, 500, 503);
	}

	@Provide
	Arbitrary<String> tokens() {
		return Arbitraries
			.oneOf(Arbitraries.strings().ofMinLength(1).ofMaxLength(40), JsonArbitraries.scalar()
				.map((text) -> "x." + java.util.Base64.getUrlEncoder()
					.encodeToString(("{\"exp\":" + text + "}").getBytes(StandardCharsets.UTF_8)) + ".y"))
			.filter((token) -> !token.isBlank());
	}

	private void check(int status, byte[] body) {
		this.clock.set(SENT);
		this.answers.answer(status, "application/json", body);
		AccessToken token;
		try {
			token = this.source
				.refresh(TokenKey.of("saasus", "user-1"), AccessToken.withValue("at-0").refreshToken("rt-1").build())
				.block(Duration.ofSeconds(10));
		}
		catch (SaasusApiException ex) {
			Statistics.label("answer").collect("typed exception");
			assertThat(ex.getOperation()).isEqualTo(SaasusClient.REFRESH);
			return;
		}
		Statistics.label("answer").collect("token");
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(Duration.between(SENT, token.getExpiresAt())).isBetween(Duration.ofSeconds(1),
				TokenLifetimes.LONGEST);
	}

}
