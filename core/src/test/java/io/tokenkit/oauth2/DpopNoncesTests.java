package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nonces that {@link DpopProofs} keeps per server origin stay bounded: beyond
 * {@link DpopNonces#DEFAULT_MAX_ORIGINS} origins the one whose nonce was kept longest ago
 * is dropped, and the others keep theirs.
 */
class DpopNoncesTests {

	private final DpopProofs proofs = DpopProofs.withGeneratedKey(Clock.systemUTC());

	@Test
	void rememberWhenMoreOriginsThanTheBoundThenTheOldestIsDroppedAndTheRestKept() {
		int bound = DpopNonces.DEFAULT_MAX_ORIGINS;
		for (int i = 0; i < bound; i++) {
			remember(i, "n-" + i);
		}
		// origin 0 sends a new nonce, so origin 1 is now the one kept longest ago
		remember(0, "n-0b");
		remember(bound, "n-" + bound);
		assertThat(this.proofs.nonce(origin(1))).isNull();
		assertThat(this.proofs.nonce(origin(0))).isEqualTo("n-0b");
		assertThat(this.proofs.nonce(origin(2))).isEqualTo("n-2");
		assertThat(this.proofs.nonce(origin(bound))).isEqualTo("n-" + bound);
		remember(bound + 1, "n-next");
		assertThat(this.proofs.nonce(origin(2))).isNull();
		assertThat(this.proofs.nonce(origin(3))).isEqualTo("n-3");
	}

	@Test
	void putWhenSameOriginAgainThenOneEntryWithTheLatestNonce() {
		DpopNonces nonces = new DpopNonces(2);
		nonces.put("https://a.example:443", "n-1");
		nonces.put("https://a.example:443", "n-2");
		nonces.put("https://b.example:443", "n-3");
		assertThat(nonces.size()).isEqualTo(2);
		assertThat(nonces.get("https://a.example:443")).isEqualTo("n-2");
		nonces.put("https://c.example:443", "n-4");
		assertThat(nonces.size()).isEqualTo(2);
		assertThat(nonces.get("https://a.example:443")).isNull();
		assertThat(nonces.get("https://b.example:443")).isEqualTo("n-3");
		assertThat(nonces.get("https://c.example:443")).isEqualTo("n-4");
	}

	private void remember(int origin, String nonce) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(DpopProofs.NONCE_HEADER, nonce);
		assertThat(this.proofs.remember(origin(origin), headers)).isTrue();
	}

	private static URI origin(int i) {
		return URI.create("https://api-" + i + ".example/accounts");
	}

}
