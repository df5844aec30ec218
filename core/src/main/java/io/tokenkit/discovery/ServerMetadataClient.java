package io.tokenkit.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TransportFailure;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Fetches an authorization server's metadata from its issuer identifier, asking in the
 * order of Spring Security's {@code ClientRegistrations.fromIssuerLocation}:
 * {@code {issuer}/.well-known/openid-configuration} (OpenID Connect Discovery 1.0 §4),
 * then {@code /.well-known/openid-configuration} inserted between the issuer's host and
 * path (the RFC 8414 §5 compatibility form; the same address as the first for an issuer
 * without a path, so not asked twice), then
 * {@code /.well-known/oauth-authorization-server} inserted between the issuer's host and
 * path (RFC 8414 §3.1). The next address is asked only when one is answered {@code 4xx}.
 * The answer is read by a {@link ServerMetadataReader}, which checks its issuer.
 * <p>
 * Each request is bounded as a token call is ({@link TokenCallPolicy}: one attempt's time
 * limit, the largest answer) and is never tried again here: whoever asks decides when to
 * ask again ({@link IssuerMetadata}). The {@link WebClient} should be the one of token
 * calls, which follows no redirect. Every failure is a {@link ServerMetadataException}
 * naming the issuer.
 */
public final class ServerMetadataClient {

	/** The path of OpenID Connect Discovery, appended to the issuer. */
	static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

	/** The path of RFC 8414, inserted between the issuer's host and path. */
	static final String OAUTH_AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server";

	/** The most addresses one fetch asks. */
	static final int MAX_ADDRESSES = 3;

	private static final Duration READ_MARGIN = Duration.ofSeconds(1);

	private final WebClient webClient;

	private final TokenCallPolicy policy;

	private final ServerMetadataReader reader;

	/**
	 * Create a client.
	 * @param webClient the web client of token calls
	 * @param policy the time limit of one attempt and the largest answer
	 * @param allowInsecureHttp whether the endpoints listed may use plain http on a host
	 * that is not a loopback address
	 */
	public ServerMetadataClient(WebClient webClient, TokenCallPolicy policy, boolean allowInsecureHttp) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(policy, "policy must not be null");
		this.webClient = webClient;
		this.policy = policy;
		this.reader = new ServerMetadataReader(allowInsecureHttp);
	}

	/**
	 * Fetch the metadata of an issuer.
	 * @param issuer the issuer identifier, an absolute http or https URL without query or
	 * fragment
	 * @return the metadata, or a {@link ServerMetadataException}
	 */
	public Mono<ServerMetadata> fetch(String issuer) {
		Assert.hasText(issuer, "issuer must not be empty");
		List<URI> candidates = metadataUris(URI.create(issuer));
		return fetch(issuer, candidates, 0, new ArrayList<>());
	}

	/**
	 * Return the longest a {@link #fetch(String)} may take: one attempt's time limit for
	 * each of the addresses it may ask, and a second for reading the answers.
	 * @return the longest fetch
	 */
	public Duration longestFetch() {
		return longestFetch(this.policy);
	}

	/**
	 * Return the longest a fetch bounded by {@code policy} may take: one attempt's time
	 * limit for each of the addresses it may ask, and a second for reading the answers.
	 * @param policy the policy of the fetch's requests
	 * @return the longest fetch
	 */
	public static Duration longestFetch(TokenCallPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		return policy.attemptTimeout().multipliedBy(MAX_ADDRESSES).plus(READ_MARGIN);
	}

	/**
	 * Return where the metadata of an issuer is asked for, in order.
	 * @param issuer the issuer
	 * @return the OpenID Connect, the OpenID Connect with its path after the well-known
	 * name (only for an issuer with a path) and the RFC 8414 metadata URIs
	 */
	static List<URI> metadataUris(URI issuer) {
		String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
		String path = (issuer.getRawPath() != null) ? issuer.getRawPath() : "";
		int end = path.length();
		while (end > 0 && path.charAt(end - 1) == '/') {
			end--;
		}
		path = path.substring(0, end);
		List<URI> uris = new ArrayList<>();
		uris.add(URI.create(origin + path + OPENID_CONFIGURATION));
		if (!path.isEmpty()) {
			uris.add(URI.create(origin + OPENID_CONFIGURATION + path));
		}
		uris.add(URI.create(origin + OAUTH_AUTHORIZATION_SERVER + path));
		return uris;
	}

	private Mono<ServerMetadata> fetch(String issuer, List<URI> candidates, int index, List<String> refused) {
		URI uri = candidates.get(index);
		Mono<ResponseContent> answer = this.webClient.get()
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> ResponseContent.read(response, this.policy.maxAnswerBytes()))
			.timeout(this.policy.attemptTimeout())
			.onErrorMap(TokenCallAttempt::isNoAnswer, (error) -> noAnswer(issuer, uri, TransportFailure.of(error)));
		return answer.flatMap((content) -> {
			int status = content.getStatusCode();
			if (status >= 400 && status < 500 && index + 1 < candidates.size()) {
				refused.add(describe(uri) + " (" + status + ")");
				return fetch(issuer, candidates, index + 1, refused);
			}
			if (content.isTooLarge()) {
				return Mono.error(new ServerMetadataException(issuer, status,
						prefix(issuer) + describe(uri) + " answered " + status + " with more than "
								+ this.policy.describeMaxAnswerSize()
								+ "; check issuer-uri, or raise tokenkit.token-calls.max-answer-size",
						null));
			}
			if (!content.isSuccessful()) {
				refused.add(describe(uri) + " (" + status + ")");
				return Mono.error(refused(issuer, status, refused));
			}
			return Mono.just(this.reader.read(issuer, uri, content));
		});
	}

	private static ServerMetadataException noAnswer(String issuer, URI uri, TransportFailure failure) {
		return new ServerMetadataException(issuer, 0,
				prefix(issuer) + describe(uri) + " " + failure.describe()
						+ "; check issuer-uri and the network. It is fetched again when needed, at most once per "
						+ "tokenkit.discovery.cool-down",
				failure.getCause());
	}

	private static ServerMetadataException refused(String issuer, int status, List<String> refused) {
		String action = (status >= 500)
				? "the server failed; it is fetched again when needed, at most once per tokenkit.discovery.cool-down"
				: "check that issuer-uri is the issuer identifier the server publishes, or set token-uri instead";
		return new ServerMetadataException(issuer, status,
				prefix(issuer) + "no metadata at " + String.join(", ", refused) + "; " + action, null);
	}

	static String prefix(String issuer) {
		return "Authorization server metadata of issuer '" + BaseUrls.describe(issuer) + "' could not be had: ";
	}

	static String describe(URI uri) {
		return BaseUrls.describe(uri.toString());
	}

	@Override
	public String toString() {
		return "ServerMetadataClient[" + this.policy + "]";
	}

}
