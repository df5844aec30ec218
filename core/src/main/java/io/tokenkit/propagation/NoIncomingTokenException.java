package io.tokenkit.propagation;

import io.tokenkit.token.TokenKitException;

/**
 * A request that forwards or exchanges the incoming request's bearer token was made where
 * there is none: outside a request being served, or in a request that carried no bearer
 * token. TokenKit sent nothing: neither the request nor a token request.
 */
public class NoIncomingTokenException extends TokenKitException {

	private final String name;

	/**
	 * Create an exception.
	 * @param name the registration or client that needed the token
	 * @param what what needed it, for example {@code "Token exchange of registration"}
	 */
	public NoIncomingTokenException(String name, String what) {
		super(what + " '" + name + "' needs the bearer token of the request being served, and there is none "
				+ "(no request is being served on this thread or in this reactive chain, or it carried no "
				+ "Authorization: Bearer token); the request was not sent. Call it while serving a request "
				+ "authenticated with a bearer token, or give the subject token per call "
				+ "(SubjectTokenKeyResolver.subjectToken(..)).");
		this.name = name;
	}

	/**
	 * Return the registration or client that needed the token.
	 * @return its name
	 */
	public String getName() {
		return this.name;
	}

}
