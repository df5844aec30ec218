package io.tokenkit.oauth2;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.tokenkit.support.Sha256;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;

/**
 * Makes the DPoP proofs (RFC 9449) of one registration with one {@link ClientKey}, and
 * keeps the latest {@code DPoP-Nonce} each server origin sent (of at most 256 origins,
 * the one kept longest ago dropped beyond). A proof is a new JWT for each send: header
 * {@code typ} {@code dpop+jwt}, {@code alg} and the public {@code jwk}; claims
 * {@code jti} (16 random bytes), {@code htm}, {@code htu} (the URI without query and
 * fragment), {@code iat} (from the clock), {@code ath} (the SHA-256 of the access token,
 * on resource requests) and {@code nonce} (when the origin sent one).
 * <p>
 * The token calls of an {@link OAuth2TokenClient#withDpop(DpopProofs) OAuth2TokenClient}
 * and the requests of the {@link #authorizer() authorizer} share one instance, so a nonce
 * learnt from either origin is used by both. Proofs are secrets like tokens:
 * {@link #toString()} shows the algorithm and the key's thumbprint only, and nothing here
 * logs.
 */
public final class DpopProofs {

	/** The request header that carries a proof, and the token type of a bound token. */
	public static final String DPOP = "DPoP";

	/** The answer header that carries a server's nonce (RFC 9449 §8). */
	public static final String NONCE_HEADER = "DPoP-Nonce";

	/**
	 * The error code of a nonce challenge, from a token endpoint or a resource server.
	 */
	public static final String USE_DPOP_NONCE = "use_dpop_nonce";

	private static final Log logger = LogFactory.getLog(DpopProofs.class);

	private static final long OTHER_KEY_WARNING_INTERVAL = 60_000;

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private final ClientKey key;

	private final Clock clock;

	private final Map<String, Object> header;

	private final DpopNonces nonces = new DpopNonces(DpopNonces.DEFAULT_MAX_ORIGINS);

	/** The randomness of the {@code jti} and the signatures, never blocking. */
	private final JwtRandom random = new JwtRandom();

	private final TokenAuthorizer authorizer = new Authorizer();

	/** When {@link #fits} last warned of a token bound to another key, 0 for never. */
	private final AtomicLong otherKeyWarned = new AtomicLong();

	/**
	 * Create the proofs of a key.
	 * @param key the key that signs them
	 * @param clock the clock of their {@code iat}
	 * @throws IllegalArgumentException if the key's public part cannot be derived
	 */
	public DpopProofs(ClientKey key, Clock clock) {
		Assert.notNull(key, "key must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.key = key;
		this.clock = clock;
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("typ", "dpop+jwt");
		header.put("jwk", key.publicJwk());
		this.header = header;
	}

	/**
	 * Return the proofs of a new EC P-256 key (ES256), made for this instance only: for a
	 * registration whose tokens no other instance sends.
	 * @param clock the clock of the proofs' {@code iat}
	 * @return the proofs
	 */
	public static DpopProofs withGeneratedKey(Clock clock) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return new DpopProofs(
					new ClientKey(generator.generateKeyPair().getPrivate(), ClientKeyAlgorithm.ES256, null), clock);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK could not make an EC P-256 key for DPoP", ex);
		}
	}

	/**
	 * Return the JWK SHA-256 thumbprint of the key, the {@code jkt} a bound token names.
	 * @return the thumbprint
	 */
	public String getThumbprint() {
		return this.key.getThumbprint();
	}

	/**
	 * Return the algorithm of the proofs.
	 * @return the algorithm
	 */
	public ClientKeyAlgorithm getAlgorithm() {
		return this.key.getAlgorithm();
	}

	/**
	 * Return a new proof for one send of a request.
	 * @param method the request's method
	 * @param uri the request's URI
	 * @param accessToken the access token the request carries, hashed into {@code ath};
	 * {@code null} for a token request
	 * @return the proof. This is a secret: never log it
	 */
	public String proof(HttpMethod method, URI uri, @Nullable String accessToken) {
		Assert.notNull(method, "method must not be null");
		Assert.notNull(uri, "uri must not be null");
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("jti", this.random.jti());
		claims.put("htm", method.name());
		claims.put("htu", htu(uri));
		claims.put("iat", this.clock.instant().getEpochSecond());
		if (accessToken != null) {
			claims.put("ath", base64Url.encodeToString(Sha256.digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
		}
		String nonce = this.nonces.get(origin(uri));
		if (nonce != null) {
			claims.put("nonce", nonce);
		}
		return this.key.sign(this.header, claims, false, this.random.source());
	}

	/**
	 * Keep the nonce an answer carries, if it carries one, for the later proofs to its
	 * origin.
	 * @param uri the URI the request went to
	 * @param headers the answer's headers
	 * @return whether the answer carried a nonce
	 */
	public boolean remember(URI uri, HttpHeaders headers) {
		String nonce = headers.getFirst(NONCE_HEADER);
		if (nonce == null || nonce.isBlank()) {
			return false;
		}
		this.nonces.put(origin(uri), nonce.strip());
		return true;
	}

	/**
	 * Return the nonce kept for a URI's origin.
	 * @param uri the URI
	 * @return the nonce, or {@code null} when its origin sent none
	 */
	public @Nullable String nonce(URI uri) {
		return this.nonces.get(origin(uri));
	}

	/**
	 * Return the token as this key's tokens are stored: with the key's thumbprint,
	 * whether the server bound it ({@code token_type} {@code DPoP}) or answered the DPoP
	 * token request with a {@code Bearer} token (RFC 9449 §5 lets it), so that a token
	 * acquired without this key's proofs is told apart.
	 * @param token a token acquired with this key's proofs
	 * @return the token with the thumbprint
	 */
	public AccessToken bind(AccessToken token) {
		String thumbprint = getThumbprint();
		return thumbprint.equals(token.getKeyThumbprint()) ? token : token.mutate().keyThumbprint(thumbprint).build();
	}

	/**
	 * Return whether a token may be sent with this key's proofs: only one acquired with
	 * them ({@link #bind}). A token bound to another key cannot be presented with this
	 * one, and a token acquired without DPoP (stored before {@code dpop} was switched on,
	 * or by an instance without it) would be sent unconstrained: both are replaced before
	 * they are sent. Warns, at most once a minute, when the token is bound to another
	 * key: instances with different keys share the token store.
	 * @param token the token
	 * @return whether this key may present it
	 */
	public boolean fits(AccessToken token) {
		String thumbprint = token.getKeyThumbprint();
		if (getThumbprint().equals(thumbprint)) {
			return true;
		}
		if (thumbprint != null) {
			warnOfOtherKey();
		}
		return false;
	}

	private void warnOfOtherKey() {
		long now = this.clock.millis();
		long last = this.otherKeyWarned.get();
		if ((last == 0 || now - last >= OTHER_KEY_WARNING_INTERVAL) && this.otherKeyWarned.compareAndSet(last, now)) {
			logger.warn("A stored token is bound to another DPoP key than this instance's (" + this
					+ "): instances with different keys share the token store and replace each other's tokens "
					+ "at the token endpoint; give every instance the same client-key, and when the key changes "
					+ "give the new key its own store key prefix (see docs/dpop.md)");
		}
	}

	/**
	 * Return the authorizer that sends a DPoP-bound token as {@code Authorization: DPoP
	 * <token>} with a new proof on each send (a token of another type as
	 * {@code Authorization: Bearer <token>}, without a proof), keeps the nonce of each
	 * answer and takes a resource server's {@code 401} {@code use_dpop_nonce} challenge
	 * with a new nonce for a challenge ({@link TokenAuthorizer#answered}).
	 * @return the authorizer, always the same instance
	 */
	public TokenAuthorizer authorizer() {
		return this.authorizer;
	}

	private static boolean isBound(AccessToken token) {
		return DPOP.equalsIgnoreCase(token.getTokenType());
	}

	/**
	 * Return whether a resource server's answer is a nonce challenge (RFC 9449 §9): a
	 * {@code 401} that carries a {@code DPoP-Nonce} and whose {@code WWW-Authenticate}
	 * holds a challenge of the {@code DPoP} scheme with the parameter
	 * {@code error="use_dpop_nonce"} (not the text anywhere, nor that error in a
	 * {@code Bearer} challenge).
	 */
	static boolean isResourceChallenge(int status, HttpHeaders headers) {
		if (status != HttpStatus.UNAUTHORIZED.value() || headers.getFirst(NONCE_HEADER) == null) {
			return false;
		}
		List<String> challenges = headers.get(HttpHeaders.WWW_AUTHENTICATE);
		if (challenges == null) {
			return false;
		}
		for (String challenge : challenges) {
			if (isNonceChallenge(challenge)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Read one {@code WWW-Authenticate} value (RFC 9110 §11.6.1: challenges, each a
	 * scheme and its {@code name=value} parameters, the values tokens or quoted strings)
	 * and return whether a {@code DPoP} challenge in it has the error
	 * {@code use_dpop_nonce}.
	 */
	private static boolean isNonceChallenge(String value) {
		String scheme = null;
		int i = 0;
		int length = value.length();
		while (i < length) {
			char c = value.charAt(i);
			if (c == ',' || c == ' ' || c == '\t') {
				i++;
				continue;
			}
			int start = i;
			while (i < length && "=, \t".indexOf(value.charAt(i)) < 0) {
				i++;
			}
			String word = value.substring(start, i);
			int afterSpaces = i;
			while (afterSpaces < length && (value.charAt(afterSpaces) == ' ' || value.charAt(afterSpaces) == '\t')) {
				afterSpaces++;
			}
			if (afterSpaces >= length || value.charAt(afterSpaces) != '=') {
				scheme = word;
				continue;
			}
			i = afterSpaces + 1;
			while (i < length && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
				i++;
			}
			StringBuilder parameter = new StringBuilder();
			if (i < length && value.charAt(i) == '"') {
				i++;
				while (i < length && value.charAt(i) != '"') {
					if (value.charAt(i) == '\\' && i + 1 < length) {
						i++;
					}
					parameter.append(value.charAt(i++));
				}
				i++;
			}
			else {
				while (i < length && "=, \t".indexOf(value.charAt(i)) < 0) {
					parameter.append(value.charAt(i++));
				}
				// a token68 ends in '=' padding: no parameter
				while (i < length && value.charAt(i) == '=') {
					i++;
				}
			}
			if (DPOP.equalsIgnoreCase(scheme) && "error".equalsIgnoreCase(word)
					&& USE_DPOP_NONCE.equals(parameter.toString())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The URI without query and fragment (RFC 9449 §4.2) in its normal form (RFC 3986
	 * §6.2.2, §6.2.3), which servers compare with: scheme and host in lower case, no user
	 * information (never a credential in a proof), no port when it is the scheme's
	 * default, {@code /} for an empty path.
	 */
	static String htu(URI uri) {
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		String host = uri.getHost();
		Assert.notNull(host, "A DPoP proof needs a URI with a host");
		int port = uri.getPort();
		String path = uri.getRawPath();
		boolean defaultPort = port < 0 || port == defaultPort(scheme);
		return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
				+ ((path == null || path.isEmpty()) ? "/" : path);
	}

	private static int defaultPort(String scheme) {
		return "https".equals(scheme) ? 443 : 80;
	}

	/**
	 * The origin a nonce is kept for: scheme, host and port.
	 */
	private static String origin(URI uri) {
		int port = uri.getPort();
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (port < 0) {
			port = defaultPort(scheme);
		}
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
	}

	@Override
	public String toString() {
		return "DpopProofs[algorithm=" + this.key.getAlgorithm().jwsName() + ", jkt=" + getThumbprint() + "]";
	}

	/**
	 * The authorizer of {@link #authorizer()}.
	 */
	private final class Authorizer implements TokenAuthorizer {

		@Override
		public void authorize(AccessToken token, HttpMethod method, URI uri, HttpHeaders headers) {
			if (!isBound(token)) {
				TokenAuthorizer.bearer().authorize(token, method, uri, headers);
				return;
			}
			headers.set(HttpHeaders.AUTHORIZATION, DPOP + " " + token.getTokenValue());
			headers.set(DPOP, proof(method, uri, token.getTokenValue()));
		}

		@Override
		public boolean fits(AccessToken token) {
			return DpopProofs.this.fits(token);
		}

		@Override
		public boolean readsAnswers() {
			return true;
		}

		@Override
		public boolean answered(URI uri, int status, HttpHeaders headers) {
			return remember(uri, headers) && isResourceChallenge(status, headers);
		}

		@Override
		public String toString() {
			return "DpopAuthorizer[algorithm=" + getAlgorithm().jwsName() + "]";
		}

	}

}
