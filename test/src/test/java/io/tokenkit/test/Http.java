package io.tokenkit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.json.JsonMapper;

/**
 * The kit's tests' HTTP client: the JDK's {@link HttpClient}, form posts with HTTP Basic
 * client authentication, GETs with a bearer token, JSON bodies read as maps.
 */
final class Http {

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private Http() {
	}

	static HttpResponse<String> token(String tokenUri, String form) {
		return join(tokenAsync(tokenUri, form));
	}

	static CompletableFuture<HttpResponse<String>> tokenAsync(String tokenUri, String form) {
		String basic = Base64.getEncoder().encodeToString("app:app-secret".getBytes(StandardCharsets.UTF_8));
		return CLIENT.sendAsync(tokenRequest(tokenUri, form).header("Authorization", "Basic " + basic).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** A token call without client authentication, as a public client makes it. */
	static HttpResponse<String> tokenWithoutClient(String tokenUri, String form) {
		return join(CLIENT.sendAsync(tokenRequest(tokenUri, form).build(), HttpResponse.BodyHandlers.ofString()));
	}

	private static HttpRequest.Builder tokenRequest(String tokenUri, String form) {
		return HttpRequest.newBuilder(URI.create(tokenUri))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
	}

	static HttpResponse<String> get(String url) {
		return get(url, null, null);
	}

	static HttpResponse<String> get(String url, String header, String value) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (header != null) {
			request.header(header, value);
		}
		return join(CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	static HttpResponse<String> bearer(String url, String token) {
		return get(url, "Authorization", "Bearer " + token);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> json(HttpResponse<String> response) {
		return JsonMapper.shared().readValue(response.body(), Map.class);
	}

	static String accessToken(HttpResponse<String> response) {
		return (String) json(response).get("access_token");
	}

	static String refreshToken(HttpResponse<String> response) {
		return (String) json(response).get("refresh_token");
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (RuntimeException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw new UncheckedIOException(io);
			}
			throw ex;
		}
	}

}
