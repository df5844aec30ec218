package io.tokenkit.oauth2;

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
import net.jqwik.api.statistics.Statistics;

import io.tokenkit.testsupport.JsonArbitraries;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenLifetimes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of {@link OAuth2TokenResponseParser} and
 * {@link OAuth2TokenResponse#toAccessToken}: whatever a token endpoint answers, the
 * result is a token that lives between one second and the longest lifetime, or an
 * {@link OAuth2TokenException} naming the registration; never another exception.
 */
class OAuth2TokenResponsePropertyTests {

	private static final Instant SENT = Instant.parse("2026-11-23T10:00:00Z");

	private static final List<String> KEYS = List.of("access_token", "token_type", "expires_in", "refresh_token",
			"scope", "id_token", "error", "error_description", "exp");

	private static final String VALID = "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
			+ "\"refresh_token\":\"rt-1\",\"scope\":\"a b\",\"id_token\":\"x.y.z\"}";

	private final OAuth2TokenResponseParser parser = new OAuth2TokenResponseParser();

	@Property(tries = 400)
	void randomObjectsGiveATokenOrATypedException(@ForAll("objects") String body) {
		check(body);
	}

	@Property(tries = 400)
	void mutatedAnswersGiveATokenOrATypedException(@ForAll("mutated") String body) {
		check(body);
	}

	@Property(tries = 200)
	void randomValuesGiveATokenOrATypedException(@ForAll("values") String body) {
		check(body);
	}

	@Property(tries = 200)
	void randomBytesGiveATokenOrATypedException(@ForAll("bytes") String body) {
		check(body);
	}

	@Property(tries = 200)
	void truncatedAnswersGiveATokenOrATypedException(@ForAll("truncated") String body) {
		check(body);
	}

	@Provide
	Arbitrary<String> objects() {
		return JsonArbitraries.object(2, KEYS);
	}

	@Provide
	Arbitrary<String> mutated() {
		Map<String, String> valid = new LinkedHashMap<>();
		valid.put("access_token", "\"at-1\"");
		valid.put("token_type", "\"Bearer\"");
		valid.put("expires_in", "3600");
		valid.put("refresh_token", "\"rt-1\"");
		valid.put("scope", "\"a b\"");
		return JsonArbitraries.mutated(valid, KEYS);
	}

	@Provide
	Arbitrary<String> values() {
		return JsonArbitraries.value(3, KEYS);
	}

	@Provide
	Arbitrary<String> bytes() {
		return JsonArbitraries.randomBytes();
	}

	@Provide
	Arbitrary<String> truncated() {
		return Arbitraries.oneOf(JsonArbitraries.truncated(VALID),
				JsonArbitraries.mutated(Map.of("access_token", "\"at-1\"", "expires_in", "60"), KEYS)
					.flatMap(JsonArbitraries::truncated));
	}

	private void check(String body) {
		AccessToken token;
		try {
			token = this.parser.parse("orders", 200, body, "application/json")
				.toAccessToken("orders", SENT, TokenLifetimes.DEFAULT, null);
		}
		catch (OAuth2TokenException ex) {
			Statistics.label("answer").collect("typed exception");
			assertThat(ex.getRegistrationId()).isEqualTo("orders");
			assertThat(ex.getMessage()).startsWith("Token endpoint of 'orders' answered");
			return;
		}
		Statistics.label("answer").collect("token");
		assertThat(token.getTokenValue()).isNotBlank();
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(Duration.between(SENT, token.getExpiresAt())).isBetween(Duration.ofSeconds(1),
				TokenLifetimes.LONGEST);
		if (token.getTokenValue().length() > 12) {
			assertThat(token.toString()).doesNotContain(token.getTokenValue());
		}
	}

}
