package io.tokenkit.redis;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link TokenCodec} keeps a token's DPoP key thumbprint ({@code k}) and whether it
 * is refreshed ahead ({@code ni}), and reads a value written before it had them.
 */
class TokenCodecTests {

	private final TokenCodec codec = new TokenCodec(null, true, new LocalCopies(16, Set.of()));

	@Test
	void openWhenSealedWithKeyThumbprintThenThumbprintKept() {
		AccessToken token = AccessToken.withValue("at-1")
			.tokenType("DPoP")
			.issuedAt(Instant.parse("2026-12-07T10:00:00Z"))
			.expiresAt(Instant.parse("2026-12-07T11:00:00Z"))
			.keyThumbprint("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
			.build();
		AccessToken read = this.codec.open(TokenKey.of("orders"), "test:orders", this.codec.seal(token, "test:orders"),
				0);
		assertThat(read.getKeyThumbprint()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
		assertThat(read.getTokenType()).isEqualTo("DPoP");
		assertThat(TokenCodec.sameContent(read, token)).isTrue();
		assertThat(TokenCodec.sameContent(read, token.mutate().keyThumbprint("other").build())).isFalse();
	}

	@Test
	void openWhenSealedNotRefreshedAheadThenKeptAndAnOlderReaderSeesNoLifetime() {
		AccessToken token = AccessToken.withValue("at-1")
			.issuedAt(Instant.parse("2026-12-07T10:00:00Z"))
			.expiresAt(Instant.parse("2026-12-07T10:01:00Z"))
			.refreshedAhead(false)
			.build();
		String sealed = this.codec.seal(token, "test:orders");
		AccessToken read = this.codec.open(TokenKey.of("orders"), "test:orders", sealed, 0);
		assertThat(read.isRefreshedAhead()).isFalse();
		assertThat(read.getIssuedAt()).isEqualTo(token.getIssuedAt());
		assertThat(read.getExpiresAt()).isEqualTo(token.getExpiresAt());
		assertThat(TokenCodec.sameContent(read, token)).isTrue();
		assertThat(TokenCodec.sameContent(read, token.mutate().refreshedAhead(true).build())).isFalse();
		// a TokenKit that reads no "ni" takes "i" as the issue time: a lifetime of zero,
		// which it does not refresh ahead
		JsonNode fields = JsonMapper.builder().build().readTree(sealed);
		assertThat(fields.get("i").longValue()).isEqualTo(token.getExpiresAtMillis());
		assertThat(fields.get("ni").longValue()).isEqualTo(token.getIssuedAtMillis());
	}

	@Test
	void openWhenWrittenBeforeThumbprintsThenNone() {
		String old = "{\"v\":\"at-1\",\"t\":\"Bearer\",\"i\":1796637600000,\"e\":1796641200000,\"s\":[],\"r\":null,"
				+ "\"d\":null}";
		AccessToken read = this.codec.open(TokenKey.of("orders"), "test:orders", old, 0);
		assertThat(read.getTokenValue()).isEqualTo("at-1");
		assertThat(read.getKeyThumbprint()).isNull();
		assertThat(read.isRefreshedAhead()).isTrue();
		assertThat(read.getIssuedAtMillis()).isEqualTo(1796637600000L);
	}

}
