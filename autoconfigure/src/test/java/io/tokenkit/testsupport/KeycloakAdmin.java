package io.tokenkit.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls Keycloak's admin REST API for one realm as the master realm's administrator
 * (system properties {@code tokenkit.keycloak.admin} and
 * {@code tokenkit.keycloak.admin-password}, {@code admin}/{@code admin} unless set), a
 * fresh admin token per call.
 */
public final class KeycloakAdmin {

	private static final HttpClient http = HttpClient.newHttpClient();

	private final String base;

	private final String realm;

	/**
	 * Create an admin of the realm of an issuer.
	 * @param issuer the realm's issuer, such as {@code http://127.0.0.1:18080/realms/tk}
	 */
	public KeycloakAdmin(String issuer) {
		int realms = issuer.indexOf("/realms/");
		this.base = issuer.substring(0, realms);
		this.realm = issuer.substring(realms + "/realms/".length());
	}

	/**
	 * Call the admin API and require a 2xx answer.
	 * @param method the HTTP method
	 * @param path the path under {@code /admin/realms/<realm>}, such as {@code /clients}
	 * @param json the JSON body, or {@code null}
	 * @return the answer's body
	 * @throws IOException when the call fails or Keycloak answers other than 2xx
	 * @throws InterruptedException when interrupted
	 */
	public String send(String method, String path, String json) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.base + "/admin/realms/" + this.realm + path))
			.header("Authorization", "Bearer " + adminToken());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method,
				(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		return body(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), method + " " + path);
	}

	private String adminToken() throws IOException, InterruptedException {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create(this.base + "/realms/master/protocol/openid-connect/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id",
						"admin-cli", "username", System.getProperty("tokenkit.keycloak.admin", "admin"), "password",
						System.getProperty("tokenkit.keycloak.admin-password", "admin")))))
				.build(), HttpResponse.BodyHandlers.ofString());
		return field(body(response, "admin token"), "access_token");
	}

	private static String body(HttpResponse<String> response, String what) throws IOException {
		if (response.statusCode() / 100 != 2) {
			throw new IOException(what + ": Keycloak answered " + response.statusCode() + " " + response.body());
		}
		return response.body();
	}

	/**
	 * Encode parameters as {@code application/x-www-form-urlencoded}.
	 * @param parameters the parameters
	 * @return the form
	 */
	public static String form(Map<String, String> parameters) {
		StringBuilder form = new StringBuilder();
		parameters.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return form.toString();
	}

	/**
	 * The first string value of a JSON field.
	 * @param json the JSON text
	 * @param name the field's name
	 * @return the value, or {@code null}
	 */
	public static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : null;
	}

}
