package io.tokenkit.test;

/**
 * One request a {@link MockResourceServer} received: its method, path (with the query)
 * and the token it carried, and the status it was answered with. {@link #toString()} does
 * not show the token.
 *
 * @param method the HTTP method
 * @param path the path and query, as sent
 * @param token the access token carried, or {@code null} when there was none
 * @param status the status answered: 200, or 401 for a missing, unknown, expired or
 * rejected token
 */
public record ResourceRequest(String method, String path, String token, int status) {

	@Override
	public String toString() {
		return "ResourceRequest[" + this.method + " " + this.path + ", token="
				+ ((this.token != null) ? "[hidden]" : "none") + ", status=" + this.status + "]";
	}

}
