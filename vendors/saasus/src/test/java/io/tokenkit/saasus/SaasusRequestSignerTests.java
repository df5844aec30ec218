package io.tokenkit.saasus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SaasusRequestSigner} against the SAASUSSIGV1 vectors of
 * {@code test-vectors.md}.
 */
class SaasusRequestSignerTests {

	private static final String API_KEY = "ak-demo-123";

	private static final String SECRET_KEY = "sk-demo-secret-456";

	private static final String SAAS_ID = "saas-demo-789";

	private static final String VECTOR_1 = "39c84a7da5d310c468fb84819c3d14cd2c366961b94149b52dc986e9aac05d88";

	private static final String VECTOR_2 = "c12f7fc78568d76c873e8ba37e56f42e1564457473bd73f1cbc3e20fd7d2c4b2";

	private static final String VECTOR_3 = "cb7308cea15c6cb80aa80dec2484facd96355af660c441fa983205fdffdd29dd";

	private static final String VECTOR_2_BODY = "{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\",\"refresh_token\":\"rt-1\"}";

	@Test
	void signatureWhenVector1ThenMatches() {
		assertThat(SaasusRequestSigner.signature(SECRET_KEY, "202611230415", API_KEY, "GET",
				"api.saasus.io/v1/auth/credentials?code=7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&auth-flow=tempCodeAuth",
				new byte[0]))
			.isEqualTo(VECTOR_1);
	}

	@Test
	void signatureWhenVector2ThenMatches() {
		assertThat(SaasusRequestSigner.signature(SECRET_KEY, "202611230416", API_KEY, "POST",
				"api.saasus.io/v1/auth/credentials", VECTOR_2_BODY.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(VECTOR_2);
	}

	@Test
	void signatureWhenVector3ThenMatches() {
		assertThat(SaasusRequestSigner.signature(SECRET_KEY, "202611230417", API_KEY, "GET",
				"api.saasus.io/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=rt-1", new byte[0]))
			.isEqualTo(VECTOR_3);
	}

	@Test
	void authorizationWhenVector1ThenHeaderIsTheDocumentedOne() {
		SaasusRequestSigner signer = signer("2026-11-23T04:15:59.999Z");
		String header = signer.authorization("GET", URI.create(
				"https://api.saasus.io/v1/auth/credentials?code=7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&auth-flow=tempCodeAuth"),
				new byte[0]);
		assertThat(header).isEqualTo("SAASUSSIGV1 Sig=" + VECTOR_1 + ", SaaSID=saas-demo-789, APIKey=ak-demo-123");
	}

	@Test
	void authorizationWhenVector2BodySerializedFromCredentialsThenMatches() {
		byte[] body = JsonMapper.builder().build().writeValueAsBytes(new Credentials("eyJ.id", "eyJ.at", "rt-1"));
		assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(VECTOR_2_BODY);
		SaasusRequestSigner signer = signer("2026-11-23T04:16:00Z");
		assertThat(signer.authorization("post", URI.create("https://api.saasus.io/v1/auth/credentials"), body))
			.isEqualTo("SAASUSSIGV1 Sig=" + VECTOR_2 + ", SaaSID=saas-demo-789, APIKey=ak-demo-123");
	}

	@Test
	void authorizationWhenVector3ThenMatches() {
		SaasusRequestSigner signer = signer("2026-11-23T04:17:30Z");
		assertThat(signer.authorization("GET",
				URI.create("https://api.saasus.io/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=rt-1"),
				new byte[0]))
			.contains("Sig=" + VECTOR_3 + ",");
	}

	@Test
	void authorizationWhenClockZoneIsNotUtcThenTimestampIsUtc() {
		Clock tokyo = Clock.fixed(Instant.parse("2026-11-23T04:15:00Z"), ZoneId.of("Asia/Tokyo"));
		SaasusRequestSigner signer = new SaasusRequestSigner(SAAS_ID, API_KEY, SECRET_KEY, tokyo);
		assertThat(signer.authorization("GET", URI.create(
				"https://api.saasus.io/v1/auth/credentials?code=7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&auth-flow=tempCodeAuth"),
				new byte[0]))
			.contains("Sig=" + VECTOR_1 + ",");
	}

	@Test
	void authorizationWhenNextMinuteThenSignatureDiffers() {
		URI uri = URI.create(
				"https://api.saasus.io/v1/auth/credentials?code=7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&auth-flow=tempCodeAuth");
		assertThat(signer("2026-11-23T04:16:00Z").authorization("GET", uri, new byte[0])).doesNotContain(VECTOR_1);
	}

	@Test
	void timestampIsMinuteInUtc() {
		assertThat(SaasusRequestSigner.timestamp(Instant.parse("2025-06-24T12:15:59Z"))).isEqualTo("202506241215");
	}

	@Test
	void signedUrlWhenDefaultPortThenNoPort() {
		assertThat(SaasusRequestSigner.signedUrl(URI.create("https://api.saasus.io/v1/auth/credentials")))
			.isEqualTo("api.saasus.io/v1/auth/credentials");
		assertThat(SaasusRequestSigner.signedUrl(URI.create("https://api.saasus.io:443/v1/auth/credentials")))
			.isEqualTo("api.saasus.io/v1/auth/credentials");
		assertThat(SaasusRequestSigner.signedUrl(URI.create("http://example.com:80/v1/auth/credentials?a=b")))
			.isEqualTo("example.com/v1/auth/credentials?a=b");
	}

	@Test
	void signedUrlWhenNonDefaultPortThenHostAndPort() {
		assertThat(SaasusRequestSigner.signedUrl(URI.create("http://127.0.0.1:8089/v1/auth/credentials?x=%2B1")))
			.isEqualTo("127.0.0.1:8089/v1/auth/credentials?x=%2B1");
		assertThat(SaasusRequestSigner.signedUrl(URI.create("https://api.saasus.io:8443/v1/auth")))
			.isEqualTo("api.saasus.io:8443/v1/auth");
	}

	@Test
	void signedUrlWhenQueryIsEncodedThenKeptRaw() {
		assertThat(SaasusRequestSigner.signedUrl(URI
			.create("https://api.saasus.io/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=a%2Bb%3D")))
			.endsWith("?auth-flow=refreshTokenAuth&refresh-token=a%2Bb%3D");
	}

	@Test
	void createWhenSecretKeyEmptyThenFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SaasusRequestSigner(SAAS_ID, API_KEY, "", Clock.systemUTC()))
			.withMessageContaining("secretKey");
	}

	@Test
	void toStringDoesNotShowKeys() {
		assertThat(signer("2026-11-23T04:15:00Z").toString()).doesNotContain(SECRET_KEY).doesNotContain(API_KEY);
	}

	private static SaasusRequestSigner signer(String instant) {
		return new SaasusRequestSigner(SAAS_ID, API_KEY, SECRET_KEY,
				Clock.fixed(Instant.parse(instant), ZoneId.of("UTC")));
	}

}
