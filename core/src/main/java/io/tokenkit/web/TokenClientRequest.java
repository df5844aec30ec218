package io.tokenkit.web;

import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * A {@link ClientRequest} that is another request plus the headers a
 * {@link TokenAuthorizer} sets for a token, without copying the other request. The
 * authorizer is called once, when the request is made, into headers of their own, which
 * both {@link #writeTo} and {@link #headers()} put on top of the request's.
 * <p>
 * {@code ClientRequest.from(request).header(..).build()} copies every header, cookie and
 * attribute of the request (about 1 KB per request). This view copies nothing on the way
 * to the wire: {@link #writeTo} lets the original request write itself, then sets the
 * authorizer's headers in a
 * {@link ClientHttpRequest#beforeCommit(java.util.function.Supplier) before-commit
 * action}, so that they replace headers of the same name as
 * {@code ClientRequest.Builder#header} would. {@link #headers()} shows them too, for
 * filters and exchange functions that read them; that copy is made only when someone
 * asks.
 */
final class TokenClientRequest implements ClientRequest {

	private final ClientRequest delegate;

	private final TokenAuthorizer authorizer;

	private final AccessToken token;

	/**
	 * The request's headers with the authorizer's, once something read them before the
	 * request was written: the authorizer is asked once per send, into these headers when
	 * they exist, else into the headers being written (no copy on the usual path).
	 */
	private volatile @Nullable HttpHeaders headers;

	TokenClientRequest(ClientRequest delegate, TokenAuthorizer authorizer, AccessToken token) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(authorizer, "authorizer must not be null");
		Assert.notNull(token, "token must not be null");
		this.delegate = delegate;
		this.authorizer = authorizer;
		this.token = token;
	}

	@Override
	public HttpMethod method() {
		return this.delegate.method();
	}

	@Override
	public URI url() {
		return this.delegate.url();
	}

	@Override
	public HttpHeaders headers() {
		HttpHeaders result = this.headers;
		if (result == null) {
			HttpHeaders copy = new HttpHeaders();
			copy.addAll(this.delegate.headers());
			this.authorizer.authorize(this.token, this.delegate.method(), this.delegate.url(), copy);
			result = HttpHeaders.readOnlyHttpHeaders(copy);
			this.headers = result;
		}
		return result;
	}

	@Override
	public MultiValueMap<String, String> cookies() {
		return this.delegate.cookies();
	}

	@Override
	public BodyInserter<?, ? super ClientHttpRequest> body() {
		return this.delegate.body();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.delegate.attributes();
	}

	@Override
	public Consumer<ClientHttpRequest> httpRequest() {
		return this.delegate.httpRequest();
	}

	@Override
	public String logPrefix() {
		return this.delegate.logPrefix();
	}

	@Override
	public Mono<Void> writeTo(ClientHttpRequest request, ExchangeStrategies strategies) {
		request.beforeCommit(() -> {
			HttpHeaders read = this.headers;
			if (read != null) {
				// authorized when read: the same headers go on the wire
				request.getHeaders().putAll(read);
			}
			else {
				this.authorizer.authorize(this.token, this.delegate.method(), this.delegate.url(),
						request.getHeaders());
			}
			return Mono.empty();
		});
		return this.delegate.writeTo(request, strategies);
	}

}
