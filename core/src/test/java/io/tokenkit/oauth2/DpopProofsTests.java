package io.tokenkit.oauth2;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code htu} of {@link DpopProofs} and how it reads a resource server's challenge.
 */
class DpopProofsTests {

	@ParameterizedTest
	@CsvSource({ "https://user:s3cret@api.example.com/accounts, https://api.example.com/accounts",
			"https://api.example.com:443/accounts, https://api.example.com/accounts",
			"http://api.example.com:80/accounts, http://api.example.com/accounts",
			"HTTPS://API.Example.COM/Accounts?page=2#top, https://api.example.com/Accounts",
			"https://api.example.com:8443/a%2Fb, https://api.example.com:8443/a%2Fb",
			"http://127.0.0.1:8080, http://127.0.0.1:8080/" })
	void htuWhenUriThenNormalFormWithoutUserInfoDefaultPortQueryOrFragment(String uri, String htu) {
		assertThat(DpopProofs.htu(URI.create(uri))).isEqualTo(htu);
	}

	@ParameterizedTest
	@ValueSource(strings = { "DPoP error=\"use_dpop_nonce\"",
			"dpop algs=\"ES256 PS256\", error=\"use_dpop_nonce\", error_description=\"a nonce\"",
			"Bearer realm=\"api\", DPoP error=use_dpop_nonce", "Basic abc==, DPoP error = \"use_dpop_nonce\"" })
	void resourceChallengeWhenDpopSchemeHasNonceErrorThenChallenge(String challenge) {
		assertThat(DpopProofs.isResourceChallenge(401, headers(challenge))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer error=\"use_dpop_nonce\"",
			"DPoP error=\"invalid_token\", error_description=\"use_dpop_nonce\"",
			"DPoP error=\"invalid_token\", Bearer error=\"use_dpop_nonce\"", "DPoP realm=\"use_dpop_nonce\"",
			"DPoP error=\"use_dpop_nonce_later\"" })
	void resourceChallengeWhenNoDpopNonceErrorThenNoChallenge(String challenge) {
		assertThat(DpopProofs.isResourceChallenge(401, headers(challenge))).isFalse();
	}

	@Test
	void resourceChallengeWhenNotUnauthorizedOrNoNonceThenNoChallenge() {
		assertThat(DpopProofs.isResourceChallenge(403, headers("DPoP error=\"use_dpop_nonce\""))).isFalse();
		HttpHeaders withoutNonce = new HttpHeaders();
		withoutNonce.add(HttpHeaders.WWW_AUTHENTICATE, "DPoP error=\"use_dpop_nonce\"");
		assertThat(DpopProofs.isResourceChallenge(401, withoutNonce)).isFalse();
	}

	private static HttpHeaders headers(String challenge) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.WWW_AUTHENTICATE, challenge);
		headers.add(DpopProofs.NONCE_HEADER, "n-1");
		return headers;
	}

}
