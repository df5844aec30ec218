package io.tokenkit.saasus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.tokenkit.token.AccessToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SaasusTokenConverter}.
 */
class SaasusTokenConverterTests {

	private static final Instant NOW = Instant.parse("2026-11-23T04:15:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	static String jwt(String payload) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

	@Test
	void convertWhenAccessTokenIsJwtThenExpiryIsItsExp() {
		String accessToken = jwt("{\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + ",\"sub\":\"u\"}");
		AccessToken token = new SaasusTokenConverter(this.clock)
			.convert(new Credentials(jwt("{\"exp\":1}"), accessToken, "rt-1"));
		assertThat(token.getTokenValue()).isEqualTo(accessToken);
		assertThat(token.getIssuedAt()).isEqualTo(NOW);
		assertThat(token.getExpiresAt()).isEqualTo(NOW.plusSeconds(600));
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
		assertThat(token.getIdToken()).isEqualTo(jwt("{\"exp\":1}"));
	}

	@Test
	void convertWhenTokenIsNotJwtThenDefaultLifetime() {
		AccessToken token = new SaasusTokenConverter(this.clock, Duration.ofMinutes(5), SaasusBearerToken.ACCESS_TOKEN)
			.convert(new Credentials("id", "opaque-token", null));
		assertThat(token.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
	}

	@Test
	void convertWhenJwtHasNoNumericExpThenDefaultLifetime() {
		SaasusTokenConverter converter = new SaasusTokenConverter(this.clock);
		assertThat(converter.convert(new Credentials("id", jwt("{\"exp\":\"soon\"}"), null)).getExpiresAt())
			.isEqualTo(NOW.plus(SaasusTokenConverter.DEFAULT_LIFETIME));
		assertThat(converter.convert(new Credentials("id", "a.!!!.c", null)).getExpiresAt())
			.isEqualTo(NOW.plus(SaasusTokenConverter.DEFAULT_LIFETIME));
		assertThat(converter.convert(new Credentials("id", jwt("[1]"), null)).getExpiresAt())
			.isEqualTo(NOW.plus(SaasusTokenConverter.DEFAULT_LIFETIME));
	}

	@Test
	void convertWhenExpIsPastThenTokenIsExpired() {
		AccessToken token = new SaasusTokenConverter(this.clock)
			.convert(new Credentials("id", jwt("{\"exp\":" + NOW.minusSeconds(60).getEpochSecond() + "}"), null));
		assertThat(token.isExpired(NOW.toEpochMilli())).isTrue();
	}

	@Test
	void convertWhenNoRefreshTokenThenKeepsPrevious() {
		AccessToken token = new SaasusTokenConverter(this.clock).convert(new Credentials("id", "at", null), "rt-old");
		assertThat(token.getRefreshToken()).isEqualTo("rt-old");
	}

	@Test
	void convertWhenRefreshTokenRotatedThenUsesNew() {
		AccessToken token = new SaasusTokenConverter(this.clock).convert(new Credentials("id", "at", "rt-new"),
				"rt-old");
		assertThat(token.getRefreshToken()).isEqualTo("rt-new");
	}

	@Test
	void convertWhenBearerTokenIsIdTokenThenValueAndExpiryFromIdToken() {
		String idToken = jwt("{\"exp\":" + NOW.plusSeconds(120).getEpochSecond() + "}");
		AccessToken token = new SaasusTokenConverter(this.clock, Duration.ofHours(1), SaasusBearerToken.ID_TOKEN)
			.convert(new Credentials(idToken, "opaque", "rt"));
		assertThat(token.getTokenValue()).isEqualTo(idToken);
		assertThat(token.getIdToken()).isEqualTo(idToken);
		assertThat(token.getExpiresAt()).isEqualTo(NOW.plusSeconds(120));
	}

	@Test
	void credentialsToStringRedactsTokens() {
		assertThat(new Credentials("id-secret", "at-secret", "rt-secret").toString()).doesNotContain("secret");
		assertThat(new AuthorizationTempCode("code-secret").toString()).doesNotContain("secret");
	}

}
