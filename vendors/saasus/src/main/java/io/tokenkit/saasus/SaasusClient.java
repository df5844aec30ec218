package io.tokenkit.saasus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.observation.RedactingClientRequestObservationConvention;
import io.tokenkit.observation.TokenRequestObservationContext;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.ResponseBodies;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.SecretRedactor;
import io.tokenkit.support.ServerText;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallKind;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TokenCallRetry;
import io.tokenkit.support.TransportFailure;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriUtils;

/**
 * Client of the SaaSus Auth credentials API:
 * <ul>
 * <li>{@link #saveCredentials(Credentials) POST /credentials} stores a user's tokens and
 * answers a temporary code, valid for 10 seconds;</li>
 * <li>{@link #getCredentials(String) GET /credentials?code=…&amp;auth-flow=tempCodeAuth}
 * exchanges a temporary code for the tokens;</li>
 * <li>{@link #refreshCredentials(String) GET
 * /credentials?auth-flow=refreshTokenAuth&amp;refresh-token=…} exchanges a refresh token
 * for fresh tokens.</li>
 * </ul>
 * Every request is signed with SAASUSSIGV1 by a
 * {@link SaasusSigningExchangeFilterFunction}: the URI is built once (query values
 * percent-encoded, every character but RFC 3986 unreserved ones) and the body serialized
 * to bytes once, and those same URI and bytes are signed and sent. Every call is a
 * {@code tokenkit.token.requests} observation (client {@code saasus}, operations
 * {@code save-credentials}, {@code get-credentials}, {@code refresh}); Spring's
 * {@code http.client.requests} observation gets a
 * {@link RedactingClientRequestObservationConvention}, which keeps the query out of its
 * key values.
 * <p>
 * Limits: each call is bounded by a {@link TokenCallPolicy} (a time limit per attempt, a
 * largest answer). Every operation redeems a single-use code or refresh token or stores
 * credentials, so a call is sent again only when it was certainly not sent (connection
 * refused, unknown host) or SaaSus refused it with a {@code 429}; each attempt is its own
 * observation.
 * <p>
 * Errors: an error status, an unreadable or too large body becomes a
 * {@link SaasusApiException} carrying the SaaSus {@code Error} fields; a transport
 * failure or a timeout becomes a {@link SaasusApiException} with status {@code 0}.
 * Exception messages never carry the request URL (its query holds codes and refresh
 * tokens), and this class logs nothing.
 */
public final class SaasusClient {

	/** The production base URL of the SaaSus Auth API. */
	public static final String DEFAULT_BASE_URL = "https://api.saasus.io/v1/auth";

	/** The {@code client} tag of this client's observations. */
	public static final String CLIENT_NAME = "saasus";

	/** The operation of {@code POST /credentials}. */
	public static final String SAVE_CREDENTIALS = "save-credentials";

	/** The operation of {@code GET /credentials} with a temporary code. */
	public static final String GET_CREDENTIALS = "get-credentials";

	/** The operation of {@code GET /credentials} with a refresh token. */
	public static final String REFRESH = "refresh";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebClient webClient;

	private final URI baseUrl;

	private final String credentialsUrl;

	private final TokenRequestObserver observer;

	private final TokenCallPolicy policy;

	/**
	 * Create a client. The builder is cloned, then given the signing filter (last, so
	 * that it signs the URL and body as sent) and the
	 * {@link RedactingClientRequestObservationConvention}.
	 * @param builder the web client builder, ideally Spring Boot's so that its codecs,
	 * connector and observation registry apply
	 * @param baseUrl the API base URL, for example {@value #DEFAULT_BASE_URL}
	 * @param signer the request signer
	 * @param observer the observer of credential requests
	 */
	public SaasusClient(WebClient.Builder builder, URI baseUrl, SaasusRequestSigner signer,
			TokenRequestObserver observer) {
		this(builder, baseUrl, signer, observer, TokenCallPolicy.DEFAULT);
	}

	/**
	 * Create a client whose calls are bounded by a policy. The builder is cloned, then
	 * given the signing filter and the
	 * {@link RedactingClientRequestObservationConvention}.
	 * @param builder the web client builder, ideally Spring Boot's so that its codecs,
	 * connector and observation registry apply
	 * @param baseUrl the API base URL, for example {@value #DEFAULT_BASE_URL}
	 * @param signer the request signer
	 * @param observer the observer of credential requests
	 * @param policy the timeouts, retries and largest answer of the calls
	 */
	public SaasusClient(WebClient.Builder builder, URI baseUrl, SaasusRequestSigner signer,
			TokenRequestObserver observer, TokenCallPolicy policy) {
		Assert.notNull(builder, "builder must not be null");
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(baseUrl, "baseUrl must not be null");
		Assert.notNull(signer, "signer must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.isTrue(isValidBaseUrl(baseUrl),
				"baseUrl must be an absolute http or https URL without query or fragment");
		this.baseUrl = baseUrl;
		this.credentialsUrl = BaseUrls.withoutTrailingSlash(baseUrl) + "/credentials";
		this.observer = observer;
		this.policy = policy;
		this.webClient = builder.clone()
			.filter(new SaasusSigningExchangeFilterFunction(signer))
			.observationConvention(new RedactingClientRequestObservationConvention(true))
			.build();
	}

	/**
	 * Return whether a URL can be a base URL: absolute, {@code http} or {@code https},
	 * with a host and without query or fragment.
	 * @param baseUrl the URL
	 * @return whether it is valid
	 */
	public static boolean isValidBaseUrl(URI baseUrl) {
		String scheme = baseUrl.getScheme();
		return baseUrl.isAbsolute() && baseUrl.getHost() != null
				&& ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
				&& baseUrl.getRawQuery() == null && baseUrl.getRawFragment() == null
				&& baseUrl.getRawUserInfo() == null;
	}

	/**
	 * Return the API base URL.
	 * @return the base URL
	 */
	public URI getBaseUrl() {
		return this.baseUrl;
	}

	/**
	 * {@code POST /credentials}: store a user's tokens temporarily and get a temporary
	 * code for them, valid for 10 seconds.
	 * @param credentials the tokens to store
	 * @return the temporary code (SaaSus answers {@code 201})
	 */
	public Mono<AuthorizationTempCode> saveCredentials(Credentials credentials) {
		return saveCredentials(credentials, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code POST /credentials} with optional headers.
	 * @param credentials the tokens to store
	 * @param headers optional trace and referer headers
	 * @return the temporary code (SaaSus answers {@code 201})
	 */
	public Mono<AuthorizationTempCode> saveCredentials(Credentials credentials, SaasusRequestHeaders headers) {
		Assert.notNull(credentials, "credentials must not be null");
		Assert.notNull(headers, "headers must not be null");
		return call(null, SAVE_CREDENTIALS, (context, attempt) -> {
			byte[] body = json.writeValueAsBytes(credentials);
			return exchange(context, attempt, HttpMethod.POST, URI.create(this.credentialsUrl), body, headers, null,
					(node) -> {
						String code = (node != null) ? ResponseBodies.text(node, "code") : null;
						if (code == null || code.isEmpty()) {
							throw unreadable("an AuthorizationTempCode");
						}
						return new AuthorizationTempCode(code);
					});
		});
	}

	/**
	 * {@code GET /credentials?code=…&auth-flow=tempCodeAuth}: exchange a temporary code
	 * (from {@code POST /credentials} or the SaaSus login callback) for a user's tokens.
	 * @param code the temporary code
	 * @return the tokens
	 */
	public Mono<Credentials> getCredentials(String code) {
		return getCredentials(code, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code GET /credentials?code=…&auth-flow=tempCodeAuth} with optional headers.
	 * @param code the temporary code
	 * @param headers optional trace and referer headers
	 * @return the tokens
	 */
	public Mono<Credentials> getCredentials(String code, SaasusRequestHeaders headers) {
		Assert.hasText(code, "code must not be empty");
		Assert.notNull(headers, "headers must not be null");
		return call(null, GET_CREDENTIALS, (context, attempt) -> {
			URI uri = URI.create(this.credentialsUrl + "?code=" + encode(code) + "&auth-flow=tempCodeAuth");
			return exchange(context, attempt, HttpMethod.GET, uri, null, headers, code, SaasusClient::credentials);
		});
	}

	/**
	 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}: exchange a
	 * refresh token for fresh tokens. The answer may omit {@code refresh_token}; the
	 * caller then keeps the one it sent.
	 * @param refreshToken the refresh token
	 * @return the tokens
	 */
	public Mono<Credentials> refreshCredentials(String refreshToken) {
		return refreshCredentials(refreshToken, null, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…} on behalf of a
	 * registration, with optional headers.
	 * @param refreshToken the refresh token
	 * @param registrationId the registration tag of the observation, or {@code null}
	 * @param headers optional trace and referer headers
	 * @return the tokens
	 */
	public Mono<Credentials> refreshCredentials(String refreshToken, @Nullable String registrationId,
			SaasusRequestHeaders headers) {
		Assert.hasText(refreshToken, "refreshToken must not be empty");
		Assert.notNull(headers, "headers must not be null");
		return call(registrationId, REFRESH, (context, attempt) -> {
			URI uri = URI
				.create(this.credentialsUrl + "?auth-flow=refreshTokenAuth&refresh-token=" + encode(refreshToken));
			return exchange(context, attempt, HttpMethod.GET, uri, null, headers, refreshToken,
					SaasusClient::credentials);
		});
	}

	/**
	 * Make a call in attempts, each its own observation. Every SaaSus operation redeems a
	 * single-use credential or stores one: sent again only when certainly not sent.
	 */
	private <T> Mono<T> call(@Nullable String registrationId, String operation, Attempt<T> attempt) {
		return TokenCallRetry.execute(this.policy, TokenCallKind.ONCE, (callAttempt) -> this.observer
			.observe(CLIENT_NAME, registrationId, operation, (context) -> attempt.make(context, callAttempt)));
	}

	private <T> Mono<T> exchange(TokenRequestObservationContext context, TokenCallAttempt attempt, HttpMethod method,
			URI uri, byte @Nullable [] body, SaasusRequestHeaders optionalHeaders, @Nullable String secretInQuery,
			SuccessReader<T> reader) {
		String operation = context.getOperation();
		WebClient.RequestBodySpec request = this.webClient.method(method).uri(uri).headers((headers) -> {
			headers.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
			setIfText(headers, SaasusRequestHeaders.TRACE_ID_HEADER, optionalHeaders.traceId());
			setIfText(headers, HttpHeaders.REFERER, optionalHeaders.referer());
			setIfText(headers, SaasusRequestHeaders.SAASUS_REFERER_HEADER, optionalHeaders.saasusReferer());
		});
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).attributes(SaasusSigningExchangeFilterFunction.body(body));
		}
		Mono<T> exchange = request.exchangeToMono((response) -> {
			context.setStatus(response.statusCode().value());
			return ResponseContent.read(response, this.policy.maxAnswerBytes())
				.map((content) -> read(operation, content, secretInQuery, reader));
		});
		return attempt.limit(exchange)
			.onErrorMap((error) -> !(error instanceof SaasusApiException),
					(error) -> transportFailure(operation, attempt.noAnswer(error)));
	}

	private <T> T read(String operation, ResponseContent content, @Nullable String secret, SuccessReader<T> reader) {
		int status = content.getStatusCode();
		String traceId = content.getHeader(SaasusRequestHeaders.TRACE_ID_HEADER);
		if (content.isTooLarge()) {
			throw new SaasusApiException(
					"SaaSus " + operation + " answered " + status + " with an answer larger than "
							+ this.policy.describeMaxAnswerSize() + "; check tokenkit.saasus.base-url",
					status, operation, null, null, Map.of(), traceId, null);
		}
		if (content.isSuccessful()) {
			try {
				return reader.read(content.getJsonObject());
			}
			catch (UnreadableBody ex) {
				// SaaSus may have rotated to the refresh token of the answer refused
				JsonNode object = content.getJsonObject();
				throw new SaasusApiException(
						"SaaSus " + operation + " answered " + status + " with a body that is not " + ex.expected + " ("
								+ content.getContentType() + "); check tokenkit.saasus.base-url",
						status, operation, null, null, Map.of(), traceId, null)
					.carryingRefreshToken(refreshTokenOf(object));
			}
		}
		throw failure(operation, status, content.getJson(), content.getContentType(), traceId, secret,
				content.getRetryAfter());
	}

	/**
	 * The refresh token of a refused answer, carried only when it is a string: anything
	 * else is no refresh token and must not replace a good one.
	 */
	private static @Nullable String refreshTokenOf(@Nullable JsonNode object) {
		JsonNode refreshToken = (object != null) ? object.get("refresh_token") : null;
		return (refreshToken != null && refreshToken.isString()) ? refreshToken.stringValue() : null;
	}

	private static Credentials credentials(@Nullable JsonNode node) {
		if (node == null) {
			throw unreadable("Credentials JSON");
		}
		String idToken = ResponseBodies.text(node, "id_token");
		String accessToken = ResponseBodies.text(node, "access_token");
		if (idToken == null || idToken.isEmpty() || accessToken == null || accessToken.isEmpty()) {
			throw unreadable("Credentials JSON with id_token and access_token");
		}
		String refreshToken = ResponseBodies.text(node, "refresh_token");
		return new Credentials(idToken, accessToken, StringUtils.hasLength(refreshToken) ? refreshToken : null);
	}

	private static UnreadableBody unreadable(String expected) {
		return new UnreadableBody(expected);
	}

	private static SaasusApiException failure(String operation, int status, @Nullable JsonNode node, String contentType,
			@Nullable String traceId, @Nullable String secret, @Nullable Duration retryAfter) {
		String type = (node != null && node.isObject()) ? ResponseBodies.text(node, "type") : null;
		String errorMessage = (node != null && node.isObject()) ? ResponseBodies.text(node, "message") : null;
		if (type == null && errorMessage == null) {
			return new SaasusApiException(
					"SaaSus " + operation + " answered " + status + " with a body that is not a SaaSus error ("
							+ contentType + ")" + hint(operation, status) + retryAfter(retryAfter),
					status, operation, null, null, Map.of(), traceId, retryAfter, null);
		}
		Map<String, Object> data = data(node);
		errorMessage = SecretRedactor.of(secret).redact(errorMessage);
		StringBuilder message = new StringBuilder("SaaSus ").append(operation)
			.append(" answered ")
			.append(status)
			.append(' ')
			.append((type != null) ? type : "error");
		if (errorMessage != null) {
			message.append(" (").append(ServerText.truncate(errorMessage)).append(')');
		}
		message.append(hint(operation, status)).append(retryAfter(retryAfter));
		return new SaasusApiException(message.toString(), status, operation, type, errorMessage, data, traceId,
				retryAfter, null);
	}

	private static String retryAfter(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? "; SaaSus asks to wait " + retryAfter.toSeconds() + "s (Retry-After)" : "";
	}

	private static String hint(String operation, int status) {
		return switch (status) {
			case 401 -> ": check tokenkit.saasus.saas-id, api-key and secret-key, and that the clock is right "
					+ "(the signature carries the current minute)";
			case 404 ->
				REFRESH.equals(operation) ? ": the refresh token is unknown or expired; the user must sign in again"
						: ": the temporary code is unknown or expired (it is valid for 10 seconds)";
			case 400 -> ": the request was rejected; check the credentials sent";
			default -> (status >= 500) ? ": SaaSus failed; try again later" : "";
		};
	}

	private static Map<String, Object> data(@Nullable JsonNode node) {
		JsonNode data = (node != null) ? node.get("data") : null;
		if (data == null || !data.isObject()) {
			return Map.of();
		}
		Map<String, Object> map = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : data.properties()) {
			map.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
		}
		return map;
	}

	private static SaasusApiException transportFailure(String operation, TransportFailure failure) {
		// WebClient's own exceptions name the URL, whose query holds codes and refresh
		// tokens: TransportFailure never keeps them
		String message = failure.isTimeout()
				? "SaaSus " + operation + " request timed out without an answer (" + failure.getDescription()
						+ "); check tokenkit.saasus.base-url, the network and tokenkit.token-calls.response-timeout"
				: "SaaSus " + operation + " request failed without an answer (" + failure.getDescription()
						+ "); check tokenkit.saasus.base-url and the network";
		return new SaasusApiException(message, 0, operation, null, null, Map.of(), null, failure.getCause());
	}

	private static void setIfText(HttpHeaders headers, String name, @Nullable String value) {
		if (StringUtils.hasText(value)) {
			headers.set(name, value);
		}
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "SaasusClient[baseUrl=" + this.baseUrl + "]";
	}

	@FunctionalInterface
	private interface Attempt<T> {

		Mono<T> make(TokenRequestObservationContext context, TokenCallAttempt attempt);

	}

	@FunctionalInterface
	private interface SuccessReader<T> {

		T read(@Nullable JsonNode node);

	}

	private static final class UnreadableBody extends RuntimeException {

		private final String expected;

		UnreadableBody(String expected) {
			super(expected, null, false, false);
			this.expected = expected;
		}

	}

}
