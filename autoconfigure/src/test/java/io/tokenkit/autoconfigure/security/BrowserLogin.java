package io.tokenkit.autoconfigure.security;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser for the tests: keeps cookies, follows redirects one by one, and fills in a
 * login form (with its CSRF token) when the way leads there.
 */
final class BrowserLogin {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]*)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * Log in to an application through its Spring Security registration, and return the
	 * status of the page the login ends on (in the application).
	 */
	URI login(String application, String registrationId, String user, String password) throws Exception {
		URI next = URI.create(application + "/oauth2/authorization/" + registrationId);
		boolean formPosted = false;
		for (int steps = 0; steps < 20; steps++) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(next).GET());
			if (response.statusCode() / 100 == 3) {
				next = next.resolve(response.headers().firstValue("Location").orElseThrow());
				continue;
			}
			Matcher csrf = CSRF.matcher(response.body());
			if (!formPosted && response.body().contains("name=\"username\"") && csrf.find()) {
				response = send(HttpRequest.newBuilder(next)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("username=" + encode(user) + "&password="
							+ encode(password) + "&_csrf=" + encode(csrf.group(1)))));
				assertThat(response.statusCode()).as("login form answer").isEqualTo(302);
				formPosted = true;
				next = next.resolve(response.headers().firstValue("Location").orElseThrow());
				continue;
			}
			String page = next + " answered " + response.statusCode() + ": " + response.body();
			assertThat(formPosted).as("the login form was filled in, at %s", page).isTrue();
			assertThat(next.toString()).as("the login ends in the application, at %s", page).startsWith(application);
			return next;
		}
		throw new AssertionError("the login did not end in 20 redirects");
	}

	/**
	 * GET a page of the application, with the session's cookies.
	 */
	HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url)).GET());
	}

	/**
	 * POST to a page of the application, with the session's cookies.
	 */
	HttpResponse<String> post(String url) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
