package io.tokenkit.oauth2;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.ResponseBodies;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls an OAuth 2.0 token endpoint (RFC 6749 §3.2): {@code POST} with a form body,
 * client authentication {@link ClientAuthenticationMethod#BASIC basic} or
 * {@link ClientAuthenticationMethod#POST post}, and a JSON answer turned into an
 * {@link OAuth2TokenResponse} or an {@link OAuth2TokenException}.
 * <p>
 * Each call is a {@code tokenkit.token.requests} observation. The {@link WebClient}
 * should come from Spring Boot's {@code WebClient.Builder} so that
 * {@code http.client.requests} covers the call too.
 */
public final class OAuth2TokenClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int MAX_DESCRIPTION_LENGTH = 200;

	private static final List<String> SECRET_PARAMETERS = List.of("refresh_token", "code", "client_secret",
			"code_verifier", "password", "assertion", "client_assertion", "subject_token", "actor_token");

	private final WebClient webClient;

	private final URI tokenUri;

	private final String clientId;

	private final String clientSecret;

	private final ClientAuthenticationMethod authenticationMethod;

	private final @Nullable String registrationId;

	private final String label;

	private final String clientName;

	private final TokenRequestObserver observer;

	private final @Nullable String basicAuthorization;

	/**
	 * Create a client.
	 * @param webClient the web client to send requests with
	 * @param tokenUri the token endpoint
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param authenticationMethod how the client authenticates
	 * @param registrationId the registration, named in errors and tags; {@code null} for
	 * a direct call, tagged {@code none} and named by the client name in errors
	 * @param clientName the {@code client} tag of observations, {@code oauth2} for
	 * generic registrations
	 * @param observer the observer of token requests
	 */
	public OAuth2TokenClient(WebClient webClient, URI tokenUri, String clientId, String clientSecret,
			ClientAuthenticationMethod authenticationMethod, @Nullable String registrationId, String clientName,
			TokenRequestObserver observer) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(tokenUri, "tokenUri must not be null");
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		Assert.notNull(authenticationMethod, "authenticationMethod must not be null");
		Assert.isTrue(registrationId == null || !registrationId.isBlank(), "registrationId must not be empty");
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(observer, "observer must not be null");
		this.webClient = webClient;
		this.tokenUri = tokenUri;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.authenticationMethod = authenticationMethod;
		this.registrationId = registrationId;
		this.label = (registrationId != null) ? registrationId : clientName;
		this.clientName = clientName;
		this.observer = observer;
		this.basicAuthorization = (authenticationMethod == ClientAuthenticationMethod.BASIC)
				? "Basic " + Base64.getEncoder()
					.encodeToString(
							(formEncode(clientId) + ":" + formEncode(clientSecret)).getBytes(StandardCharsets.UTF_8))
				: null;
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * Return the token endpoint.
	 * @return the token URI
	 */
	public URI getTokenUri() {
		return this.tokenUri;
	}

	/**
	 * Send a token request.
	 * @param operation the operation tag, for example {@code acquire}, {@code refresh} or
	 * {@code exchange}
	 * @param parameters the form parameters, {@code grant_type} included; client
	 * credentials are added here
	 * @return the token response
	 */
	public Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> parameters) {
		return request(operation, parameters, (headers) -> {
		});
	}

	/**
	 * Send a token request with extra request headers.
	 * @param operation the operation tag
	 * @param parameters the form parameters, {@code grant_type} included; client
	 * credentials are added here
	 * @param headers customizes the request headers, for example {@code Accept}
	 * @return the token response
	 */
	public Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> parameters,
			Consumer<HttpHeaders> headers) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>(parameters);
		if (this.authenticationMethod == ClientAuthenticationMethod.POST) {
			form.set("client_id", this.clientId);
			form.set("client_secret", this.clientSecret);
		}
		return this.observer.observe(this.clientName, this.registrationId, operation,
				(context) -> this.webClient.post().uri(this.tokenUri).headers((h) -> {
					h.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
					if (this.basicAuthorization != null) {
						h.set(HttpHeaders.AUTHORIZATION, this.basicAuthorization);
					}
					headers.accept(h);
				})
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.body(BodyInserters.fromFormData(form))
					.exchangeToMono((response) -> {
						context.setStatus(response.statusCode().value());
						return read(response, form);
					}));
	}

	private Mono<OAuth2TokenResponse> read(ClientResponse response, MultiValueMap<String, String> form) {
		int status = response.statusCode().value();
		String contentType = ResponseBodies.contentType(response);
		return response.bodyToMono(String.class).defaultIfEmpty("").map((body) -> {
			JsonNode node = ResponseBodies.parse(body);
			if (response.statusCode().is2xxSuccessful()) {
				return success(status, node, contentType);
			}
			throw failure(status, node, contentType, secretsOf(form));
		});
	}

	private OAuth2TokenResponse success(int status, @Nullable JsonNode node, String contentType) {
		if (node == null || !node.isObject()) {
			throw new OAuth2TokenException(this.label, status, null, null, null,
					"Token endpoint of '" + this.label + "' answered " + status
							+ " with a body that is not a JSON object (" + contentType + "); check its token-uri");
		}
		String accessToken = ResponseBodies.text(node, "access_token");
		if (accessToken == null || accessToken.isEmpty()) {
			throw new OAuth2TokenException(this.label, status, null, null, null,
					"Token endpoint of '" + this.label + "' answered " + status + " without an access_token");
		}
		String tokenType = ResponseBodies.text(node, "token_type");
		Map<String, Object> additional = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			switch (field.getKey()) {
				case "access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token" -> {
				}
				default -> additional.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
			}
		}
		return new OAuth2TokenResponse(accessToken, (tokenType != null) ? tokenType : "Bearer",
				expiresIn(status, node.get("expires_in")), ResponseBodies.text(node, "refresh_token"),
				ResponseBodies.text(node, "scope"), ResponseBodies.text(node, "id_token"),
				Collections.unmodifiableMap(additional));
	}

	private @Nullable Long expiresIn(int status, @Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isIntegralNumber()) {
			return value.longValue();
		}
		if (value.isString()) {
			try {
				return Long.parseLong(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				// fall through
			}
		}
		throw new OAuth2TokenException(this.label, status, null, null, null,
				"Token endpoint of '" + this.label + "' answered an expires_in that is not a whole number of seconds");
	}

	/**
	 * The secrets a token request sent, which a server may echo in its error answer.
	 */
	private List<String> secretsOf(MultiValueMap<String, String> form) {
		List<String> secrets = new ArrayList<>();
		secrets.add(this.clientSecret);
		for (String name : SECRET_PARAMETERS) {
			List<String> values = form.get(name);
			if (values != null) {
				values.stream().filter((value) -> value != null && !value.isEmpty()).forEach(secrets::add);
			}
		}
		return secrets;
	}

	private static @Nullable String redact(@Nullable String text, List<String> secrets) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String secret : secrets) {
			result = result.replace(secret, "[REDACTED]").replace(formEncode(secret), "[REDACTED]");
		}
		return result;
	}

	private OAuth2TokenException failure(int status, @Nullable JsonNode node, String contentType,
			List<String> secrets) {
		String error = (node != null) ? ResponseBodies.text(node, "error") : null;
		if (error == null) {
			return new OAuth2TokenException(this.label, status, null, null, null, "Token endpoint of '" + this.label
					+ "' answered " + status + " with a body that is not an OAuth 2.0 error (" + contentType + ")");
		}
		// Some servers echo the rejected code or refresh token in their description.
		String description = redact(ResponseBodies.text(node, "error_description"), secrets);
		String uri = redact(ResponseBodies.text(node, "error_uri"), secrets);
		StringBuilder message = new StringBuilder("Token endpoint of '").append(this.label)
			.append("' answered ")
			.append(status)
			.append(" ")
			.append(error);
		if (description != null) {
			message.append(" (")
				.append((description.length() > MAX_DESCRIPTION_LENGTH)
						? description.substring(0, MAX_DESCRIPTION_LENGTH) + "…" : description)
				.append(")");
		}
		message.append(hint(error));
		Map<String, String> additional = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			switch (field.getKey()) {
				case "error", "error_description", "error_uri" -> {
				}
				default -> {
					if (field.getValue().isValueNode() && !field.getValue().isNull()) {
						additional.put(field.getKey(), redact(field.getValue().asString(), secrets));
					}
				}
			}
		}
		return new OAuth2TokenException(this.label, status, error, description, uri, additional, message.toString());
	}

	private String hint(String error) {
		return switch (error) {
			case "invalid_client", "unauthorized_client" ->
				": check the client id, client secret and client authentication method (basic or post)";
			case "invalid_grant" -> ": the code or refresh token is invalid, expired or revoked; authorize again";
			case "invalid_scope" -> ": check the scopes requested";
			case "unsupported_grant_type" -> ": the server does not allow this grant type for the client";
			default -> "";
		};
	}

	private static String formEncode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "OAuth2TokenClient[registration=" + this.label + ", tokenUri=" + this.tokenUri + ", clientId="
				+ this.clientId + ", authentication=" + this.authenticationMethod + "]";
	}

}
