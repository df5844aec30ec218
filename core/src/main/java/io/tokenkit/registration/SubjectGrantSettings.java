package io.tokenkit.registration;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a registration of the token-exchange (RFC 8693) or JWT-bearer (RFC 7523) grant
 * sends beside its subject token or assertion: the default {@code audience} and
 * {@code resource} values, the token types, and the registration whose application token
 * is the actor token. Token types are full URIs here; the properties' short names are
 * expanded before.
 *
 * @param audiences the audiences to request, possibly empty
 * @param resources the resources to request (RFC 8707), possibly empty
 * @param subjectTokenType the {@code subject_token_type}, or {@code null} for an access
 * token
 * @param requestedTokenType the {@code requested_token_type}, or {@code null} for the
 * server's default
 * @param actorTokenRegistration the registration whose application token is the actor
 * token, or {@code null} for none
 * @param actorTokenType the {@code actor_token_type}, or {@code null} for an access token
 */
public record SubjectGrantSettings(List<String> audiences, List<String> resources, @Nullable String subjectTokenType,
		@Nullable String requestedTokenType, @Nullable String actorTokenRegistration, @Nullable String actorTokenType) {

	/** No settings: the server's defaults, no actor. */
	public static final SubjectGrantSettings NONE = new SubjectGrantSettings(List.of(), List.of(), null, null, null,
			null);

	public SubjectGrantSettings {
		Assert.notNull(audiences, "audiences must not be null");
		Assert.notNull(resources, "resources must not be null");
		audiences = List.copyOf(audiences);
		resources = List.copyOf(resources);
	}

}
