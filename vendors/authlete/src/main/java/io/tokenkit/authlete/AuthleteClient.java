package io.tokenkit.authlete;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.observation.RedactingClientRequestObservationConvention;
import io.tokenkit.observation.TokenRequestObservationContext;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.ResponseBodies;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallKind;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TokenCallRetry;
import io.tokenkit.support.TransportFailure;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A client of the token-management endpoints of one Authlete service, on the Authlete API
 * v3 ({@code /api/{serviceId}/…}).
 * <p>
 * <strong>Authentication.</strong> Every request carries the service access token as
 * {@code Authorization: Bearer <token>}, a default header of this client's copy of the
 * {@link WebClient.Builder}.
 * <p>
 * <strong>Answers.</strong> A 2xx answer becomes the operation's response record, which
 * carries Authlete's {@code resultCode}, {@code resultMessage} and {@code action}. A
 * response whose {@code action} is not {@link AuthleteAction#OK} but whose HTTP status is
 * 2xx is returned as it is, not raised: Authlete's APIs are designed so that the caller
 * acts on the {@code action} (for example relays {@code responseContent} with the
 * matching status), so check {@code action()}. Any other status, a body that is not a
 * JSON object, or no answer at all, ends the call with an {@link AuthleteApiException}
 * (which never carries WebClient's own exceptions: they hold the request URI and
 * headers).
 * <p>
 * <strong>Wire format.</strong> Bodies are written and read with this client's own JSON
 * mapper, independent of the application's Jackson settings (a global naming strategy or
 * inclusion rule cannot change Authlete's field names). {@code null} fields are not sent;
 * unknown response fields are ignored; a numeric {@code resultCode} is read as text; an
 * enum value this version does not know reads as {@link AuthleteAction#UNKNOWN} for
 * actions and {@code null} elsewhere.
 * <p>
 * <strong>Limits.</strong> Each call is bounded by a {@link TokenCallPolicy}: a time
 * limit per attempt (a timeout is an {@link AuthleteApiException} with status {@code 0})
 * and a largest answer. {@code list} and {@code delete} are tried again after a
 * connection failure, a timeout, a {@code 5xx} or a {@code 429}; {@code create},
 * {@code update}, {@code revoke} and {@code reissue-id-token} are not idempotent and are
 * sent again only when they were certainly not sent or were refused with a {@code 429}.
 * <p>
 * <strong>Observations.</strong> Each attempt is a {@code tokenkit.token.requests}
 * observation with client {@value #CLIENT_NAME} and operation {@code reissue-id-token},
 * {@code list}, {@code create}, {@code update}, {@code delete} or {@code revoke}.
 */
public final class AuthleteClient {

	/** The {@code client} name of this client's observations. */
	public static final String CLIENT_NAME = "authlete";

	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
		.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
		.build();

	private static final List<MediaType> ACCEPT_JSON = List.of(MediaType.APPLICATION_JSON);

	private final WebClient webClient;

	private final URI baseUrl;

	private final String serviceId;

	private final TokenRequestObserver observer;

	private final TokenCallPolicy policy;

	/**
	 * Create a client.
	 * @param webClientBuilder the builder to start from, typically Spring Boot's; it is
	 * cloned, not changed
	 * @param baseUrl the base URL of the service's cluster, for example
	 * {@link AuthleteCluster#US}'s
	 * @param serviceId the numeric service ID
	 * @param serviceAccessToken the service access token (or an organization token)
	 * @param observer the observer of the calls
	 */
	public AuthleteClient(WebClient.Builder webClientBuilder, URI baseUrl, String serviceId, String serviceAccessToken,
			TokenRequestObserver observer) {
		this(webClientBuilder, baseUrl, serviceId, serviceAccessToken, observer, TokenCallPolicy.DEFAULT);
	}

	/**
	 * Create a client whose calls are bounded by a policy.
	 * @param webClientBuilder the builder to start from, typically Spring Boot's; it is
	 * cloned, not changed
	 * @param baseUrl the base URL of the service's cluster
	 * @param serviceId the numeric service ID
	 * @param serviceAccessToken the service access token (or an organization token)
	 * @param observer the observer of the calls
	 * @param policy the timeouts, retries and largest answer of the calls
	 */
	public AuthleteClient(WebClient.Builder webClientBuilder, URI baseUrl, String serviceId, String serviceAccessToken,
			TokenRequestObserver observer, TokenCallPolicy policy) {
		Assert.notNull(webClientBuilder, "webClientBuilder must not be null");
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(baseUrl, "baseUrl must not be null");
		Assert.isTrue(baseUrl.isAbsolute() && baseUrl.getHost() != null, "baseUrl must be an absolute URL");
		Assert.hasText(serviceId, "serviceId must not be empty");
		Assert.isTrue(isNumeric(serviceId), "serviceId must be the numeric service ID");
		Assert.hasText(serviceAccessToken, "serviceAccessToken must not be empty");
		Assert.notNull(observer, "observer must not be null");
		String base = BaseUrls.withoutTrailingSlash(baseUrl);
		this.baseUrl = URI.create(base);
		this.serviceId = serviceId;
		this.observer = observer;
		this.policy = policy;
		this.webClient = webClientBuilder.clone()
			.baseUrl(base)
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + serviceAccessToken)
			.observationConvention(new RedactingClientRequestObservationConvention())
			.build();
	}

	/**
	 * Create a client that records no observations.
	 * @param webClientBuilder the builder to start from; it is cloned, not changed
	 * @param baseUrl the base URL of the service's cluster
	 * @param serviceId the numeric service ID
	 * @param serviceAccessToken the service access token
	 */
	public AuthleteClient(WebClient.Builder webClientBuilder, URI baseUrl, String serviceId,
			String serviceAccessToken) {
		this(webClientBuilder, baseUrl, serviceId, serviceAccessToken, TokenRequestObserver.NOOP);
	}

	/**
	 * Return the base URL requests go to.
	 * @return the base URL, without a trailing slash
	 */
	public URI getBaseUrl() {
		return this.baseUrl;
	}

	/**
	 * Return the service ID in the request paths.
	 * @return the service ID
	 */
	public String getServiceId() {
		return this.serviceId;
	}

	/**
	 * Reissue an ID token in a refresh token flow: {@code POST
	 * /api/{serviceId}/idtoken/reissue}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 */
	public Mono<IdTokenReissueResponse> reissueIdToken(IdTokenReissueRequest request) {
		Assert.notNull(request, "request must not be null");
		return post("reissue-id-token", "/api/{serviceId}/idtoken/reissue", request, IdTokenReissueResponse.class);
	}

	/**
	 * List the first access tokens of the service with Authlete's default range:
	 * {@code GET /api/{serviceId}/auth/token/get/list}.
	 * @return the response
	 */
	public Mono<TokenListResponse> listAccessTokens() {
		return listAccessTokens(TokenListRequest.all());
	}

	/**
	 * List access tokens: {@code GET /api/{serviceId}/auth/token/get/list}. Only the
	 * query parameters set in {@code request} are sent.
	 * @param request the filter and range
	 * @return the response
	 */
	public Mono<TokenListResponse> listAccessTokens(TokenListRequest request) {
		Assert.notNull(request, "request must not be null");
		// a URI template, so that observations tag the template and never the subject in
		// the query
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("serviceId", this.serviceId);
		StringBuilder template = new StringBuilder("/api/{serviceId}/auth/token/get/list");
		queryParam(template, variables, "clientIdentifier", request.clientIdentifier());
		queryParam(template, variables, "subject", request.subject());
		queryParam(template, variables, "start", request.start());
		queryParam(template, variables, "end", request.end());
		queryParam(template, variables, "tokenStatus", request.tokenStatus());
		String uri = template.toString();
		return observe("list", TokenCallKind.REPEATABLE,
				(context) -> this.webClient.get()
					.uri(uri, variables)
					.accept(MediaType.APPLICATION_JSON)
					.exchangeToMono((response) -> read("list", context, response, TokenListResponse.class)));
	}

	/**
	 * Create an access token: {@code POST /api/{serviceId}/auth/token/create}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 */
	public Mono<TokenCreateResponse> createAccessToken(TokenCreateRequest request) {
		Assert.notNull(request, "request must not be null");
		return post("create", "/api/{serviceId}/auth/token/create", request, TokenCreateResponse.class);
	}

	/**
	 * Update an access token: {@code POST /api/{serviceId}/auth/token/update}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 */
	public Mono<TokenUpdateResponse> updateAccessToken(TokenUpdateRequest request) {
		Assert.notNull(request, "request must not be null");
		return post("update", "/api/{serviceId}/auth/token/update", request, TokenUpdateResponse.class);
	}

	/**
	 * Delete an access token: {@code DELETE
	 * /api/{serviceId}/auth/token/delete/{accessTokenIdentifier}}. Authlete answers
	 * {@code 204 No Content}; any 2xx completes the returned {@link Mono}.
	 * @param accessTokenIdentifier the access token value or its hash (percent-encoded
	 * into the path)
	 * @return completion
	 */
	public Mono<Void> deleteAccessToken(String accessTokenIdentifier) {
		Assert.hasText(accessTokenIdentifier, "accessTokenIdentifier must not be empty");
		return observe("delete", TokenCallKind.REPEATABLE, (context) -> this.webClient.delete()
			.uri("/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}", this.serviceId, accessTokenIdentifier)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> {
				context.setStatus(response.statusCode().value());
				if (response.statusCode().is2xxSuccessful()) {
					return response.releaseBody();
				}
				return ResponseContent.read(response, this.policy.maxAnswerBytes()).map((content) -> {
					throw failure("delete", content);
				});
			}));
	}

	/**
	 * Revoke access tokens: {@code POST /api/{serviceId}/auth/token/revoke}.
	 * @param request which tokens to revoke
	 * @return the response, with the number of tokens revoked
	 */
	public Mono<TokenRevokeResponse> revokeTokens(TokenRevokeRequest request) {
		Assert.notNull(request, "request must not be null");
		return post("revoke", "/api/{serviceId}/auth/token/revoke", request, TokenRevokeResponse.class);
	}

	private <T> Mono<T> post(String operation, String path, Object request, Class<T> responseType) {
		return observe(operation, TokenCallKind.ONCE,
				(context) -> Mono.fromCallable(() -> json.writeValueAsBytes(request))
					.flatMap((body) -> this.webClient.post()
						.uri(path, this.serviceId)
						.headers((headers) -> headers.setAccept(ACCEPT_JSON))
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(body)
						.exchangeToMono((response) -> read(operation, context, response, responseType))));
	}

	/**
	 * Make a call in attempts, each its own observation and bounded in time.
	 */
	private <T> Mono<T> observe(String operation, TokenCallKind kind,
			Function<TokenRequestObservationContext, Mono<T>> call) {
		return TokenCallRetry.execute(this.policy, kind, (attempt) -> this.observer
			.observe(CLIENT_NAME, null, operation, (context) -> attempt.limit(Mono.defer(() -> call.apply(context)))
				.onErrorMap(TokenCallAttempt::isNoAnswer, (ex) -> transportFailure(operation, attempt.noAnswer(ex)))));
	}

	private AuthleteApiException transportFailure(String operation, TransportFailure failure) {
		// WebClient's own exceptions hold the request URI (with subjects and token
		// identifiers) and headers (with the service access token): never kept
		String message = failure.isTimeout()
				? "Authlete API call '" + operation + "' to " + this.baseUrl + " timed out without an answer ("
						+ failure.getDescription()
						+ "); check tokenkit.authlete.base-url, the network and tokenkit.token-calls.response-timeout"
				: "Authlete API call '" + operation + "' to " + this.baseUrl + " got no answer ("
						+ failure.getDescription() + "); check tokenkit.authlete.base-url and the network";
		return new AuthleteApiException(message, operation, 0, null, null, null, failure.getCause());
	}

	private <T> Mono<T> read(String operation, TokenRequestObservationContext context, ClientResponse response,
			Class<T> type) {
		context.setStatus(response.statusCode().value());
		return ResponseContent.read(response, this.policy.maxAnswerBytes()).map((content) -> {
			if (content.isTooLarge()) {
				throw new AuthleteApiException(
						"Authlete API call '" + operation + "' answered " + content.getStatusCode()
								+ " with an answer larger than " + this.policy.describeMaxAnswerSize()
								+ "; check tokenkit.authlete.base-url",
						operation, content.getStatusCode(), null, null, null, null);
			}
			if (!content.isSuccessful()) {
				throw failure(operation, content);
			}
			JsonNode node = content.getJsonObject();
			int status = content.getStatusCode();
			if (node == null) {
				throw new AuthleteApiException("Authlete API call '" + operation + "' answered " + status
						+ " with a body that is not a JSON object (" + content.getContentType()
						+ "); check tokenkit.authlete.base-url", operation, status, null, null, null, null);
			}
			try {
				return json.treeToValue(node, type);
			}
			catch (JacksonException ex) {
				throw new AuthleteApiException(
						"Authlete API call '" + operation + "' answered " + status
								+ " with a body that could not be read as " + type.getSimpleName() + " (at "
								+ ex.getPathReference() + ")",
						operation, status, ResponseBodies.text(node, "resultCode"),
						ResponseBodies.text(node, "resultMessage"), action(node), ex);
			}
		});
	}

	private AuthleteApiException failure(String operation, ResponseContent content) {
		int status = content.getStatusCode();
		Duration retryAfter = content.getRetryAfter();
		JsonNode node = content.getJsonObject();
		String resultCode = (node != null) ? ResponseBodies.text(node, "resultCode") : null;
		if (resultCode == null) {
			return new AuthleteApiException(
					"Authlete API call '" + operation + "' answered " + status
							+ " with a body that is not an Authlete result (" + content.getContentType() + ")"
							+ hint(status) + retryAfter(retryAfter),
					operation, status, null, (node != null) ? ResponseBodies.text(node, "resultMessage") : null,
					(node != null) ? action(node) : null, retryAfter, null);
		}
		return new AuthleteApiException(
				"Authlete API call '" + operation + "' answered " + status + " with resultCode " + resultCode
						+ hint(status) + retryAfter(retryAfter),
				operation, status, resultCode, ResponseBodies.text(node, "resultMessage"), action(node), retryAfter,
				null);
	}

	private static String retryAfter(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? "; Authlete asks to wait " + retryAfter.toSeconds() + "s (Retry-After)" : "";
	}

	private static String hint(int status) {
		return switch (status) {
			case 400 -> "; the request was rejected, see the result message";
			case 401 -> "; check the service access token (tokenkit.authlete.access-token)";
			case 403 -> "; check that the access token may use this API of this service (tokenkit.authlete.service-id)";
			case 404 ->
				"; the service or the token was not found, check tokenkit.authlete.service-id and the identifier";
			default -> (status >= 500) ? "; Authlete had a server error, try again later" : "";
		};
	}

	private static @Nullable AuthleteAction action(JsonNode node) {
		String value = ResponseBodies.text(node, "action");
		if (value == null) {
			return null;
		}
		for (AuthleteAction action : AuthleteAction.values()) {
			if (action.name().equals(value)) {
				return action;
			}
		}
		return AuthleteAction.UNKNOWN;
	}

	private static void queryParam(StringBuilder template, Map<String, Object> variables, String name,
			@Nullable Object value) {
		if (value != null) {
			template.append(variables.size() == 1 ? '?' : '&').append(name).append("={").append(name).append('}');
			variables.put(name, value.toString());
		}
	}

	private static boolean isNumeric(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return "AuthleteClient[baseUrl=" + this.baseUrl + ", serviceId=" + this.serviceId + "]";
	}

}
