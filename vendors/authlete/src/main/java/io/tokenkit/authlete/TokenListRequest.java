package io.tokenkit.authlete;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The query of {@code GET /api/{serviceId}/auth/token/get/list}. Each parameter is sent
 * only when set, so Authlete applies its own defaults to the rest (range {@code 0} to
 * {@code 5}). {@code toString()} redacts the subject.
 *
 * @param clientIdentifier only tokens of this client (client ID or alias), or
 * {@code null}
 * @param subject only tokens of this user, or {@code null}
 * @param start the index of the first token (inclusive), or {@code null}
 * @param end the index after the last token (exclusive), or {@code null}
 * @param tokenStatus only tokens of this status, or {@code null} to leave the parameter
 * out. Not in Authlete's published API description (java-common sends it); Authlete's
 * behaviour without it is therefore its own default
 */
public record TokenListRequest(@Nullable String clientIdentifier, @Nullable String subject, @Nullable Integer start,
		@Nullable Integer end, @Nullable TokenStatus tokenStatus) {

	private static final Set<String> REDACTED = Set.of("subject");

	public TokenListRequest {
		Assert.isTrue(start == null || start >= 0, "start must not be negative");
		Assert.isTrue(end == null || end >= 0, "end must not be negative");
		Assert.isTrue(start == null || end == null || start <= end, "start must not be greater than end");
	}

	/**
	 * Return a request with no filter and Authlete's default range.
	 * @return the request
	 */
	public static TokenListRequest all() {
		return new TokenListRequest(null, null, null, null, null);
	}

	/**
	 * Return a builder.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

	/**
	 * Builds a {@link TokenListRequest}.
	 */
	public static final class Builder {

		private @Nullable String clientIdentifier;

		private @Nullable String subject;

		private @Nullable Integer start;

		private @Nullable Integer end;

		private @Nullable TokenStatus tokenStatus;

		private Builder() {
		}

		/**
		 * Only list tokens of this client.
		 * @param clientIdentifier the client ID or alias
		 * @return this builder
		 */
		public Builder clientIdentifier(@Nullable String clientIdentifier) {
			this.clientIdentifier = clientIdentifier;
			return this;
		}

		/**
		 * Only list tokens of this user.
		 * @param subject the user's subject
		 * @return this builder
		 */
		public Builder subject(@Nullable String subject) {
			this.subject = subject;
			return this;
		}

		/**
		 * List the tokens from index {@code start} (inclusive) to {@code end}
		 * (exclusive).
		 * @param start the first index
		 * @param end the index after the last one
		 * @return this builder
		 */
		public Builder range(int start, int end) {
			this.start = start;
			this.end = end;
			return this;
		}

		/**
		 * Only list tokens of this status.
		 * @param tokenStatus the status
		 * @return this builder
		 */
		public Builder tokenStatus(@Nullable TokenStatus tokenStatus) {
			this.tokenStatus = tokenStatus;
			return this;
		}

		/**
		 * Build the request.
		 * @return the request
		 */
		public TokenListRequest build() {
			return new TokenListRequest(this.clientIdentifier, this.subject, this.start, this.end, this.tokenStatus);
		}

	}

}
