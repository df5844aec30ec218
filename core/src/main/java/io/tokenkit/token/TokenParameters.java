package io.tokenkit.token;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What one token is asked for beyond its registration's defaults: the {@code scope},
 * {@code audience} and {@code resource} (RFC 8707) of a token request. Each is a set:
 * order and repetition do not matter, so {@code scope=a b} and {@code scope=b a} are the
 * same parameters and share one token. {@link #NONE} stands for the registration's
 * defaults.
 * <p>
 * A value made once (for example in a field) and set on each request costs nothing per
 * request: {@link #canonical()} is computed once. {@link #toString()} names only how many
 * values each holds.
 */
public final class TokenParameters {

	/** No parameters: the registration's defaults. */
	public static final TokenParameters NONE = new TokenParameters(Set.of(), Set.of(), Set.of());

	private final Set<String> scopes;

	private final Set<String> audiences;

	private final Set<String> resources;

	private final String canonical;

	/**
	 * The application key last made with these parameters, so that a value set on each
	 * request finds its key without allocating one. A race only makes one more key.
	 */
	private @Nullable TokenKey applicationKey;

	private TokenParameters(Set<String> scopes, Set<String> audiences, Set<String> resources) {
		this.scopes = scopes;
		this.audiences = audiences;
		this.resources = resources;
		this.canonical = canonical(scopes, audiences, resources);
	}

	/**
	 * Return parameters that ask for these scopes.
	 * @param scopes the scopes
	 * @return the parameters
	 */
	public static TokenParameters scopes(String... scopes) {
		return builder().scopes(Arrays.asList(scopes)).build();
	}

	/**
	 * Return a builder of parameters.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the scopes asked for, sorted.
	 * @return the scopes, empty for the registration's
	 */
	public Set<String> getScopes() {
		return this.scopes;
	}

	/**
	 * Return the audiences asked for, sorted.
	 * @return the audiences, empty for the registration's
	 */
	public Set<String> getAudiences() {
		return this.audiences;
	}

	/**
	 * Return the resources asked for (RFC 8707 resource indicators), sorted.
	 * @return the resources, empty for the registration's
	 */
	public Set<String> getResources() {
		return this.resources;
	}

	/**
	 * Return whether these are the registration's defaults (no value at all).
	 * @return whether there are no parameters
	 */
	public boolean isEmpty() {
		return this.canonical.isEmpty();
	}

	/**
	 * Return the canonical form of these parameters, the same for equal parameters
	 * whatever the order they were given in: each non-empty set as
	 * {@code name=value value} with sorted values, names in the order {@code audience},
	 * {@code resource}, {@code scope}, joined by {@code &}; a value's {@code %},
	 * {@code &}, {@code =} and space are percent-encoded. Empty for {@link #NONE}.
	 * @return the canonical form
	 */
	public String canonical() {
		return this.canonical;
	}

	/**
	 * Return the application key of the same registration with these parameters, reusing
	 * the one made last time for that registration.
	 * @param applicationKey the key of the registration's application token
	 * @return the key with these parameters
	 */
	TokenKey applicationKey(TokenKey applicationKey) {
		TokenKey last = this.applicationKey;
		if (last != null && last.registrationId().equals(applicationKey.registrationId())
				&& applicationKey.subject() == null) {
			return last;
		}
		TokenKey key = applicationKey.withParameters(this);
		if (key.subject() == null) {
			this.applicationKey = key;
		}
		return key;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other)
				|| (other instanceof TokenParameters parameters && this.canonical.equals(parameters.canonical));
	}

	@Override
	public int hashCode() {
		return this.canonical.hashCode();
	}

	@Override
	public String toString() {
		return "TokenParameters[scopes=" + this.scopes.size() + ", audiences=" + this.audiences.size() + ", resources="
				+ this.resources.size() + "]";
	}

	private static String canonical(Set<String> scopes, Set<String> audiences, Set<String> resources) {
		StringBuilder canonical = new StringBuilder();
		append(canonical, "audience", audiences);
		append(canonical, "resource", resources);
		append(canonical, "scope", scopes);
		return canonical.toString();
	}

	private static void append(StringBuilder canonical, String name, Set<String> values) {
		if (values.isEmpty()) {
			return;
		}
		if (!canonical.isEmpty()) {
			canonical.append('&');
		}
		canonical.append(name).append('=');
		boolean first = true;
		for (String value : values) {
			if (!first) {
				canonical.append(' ');
			}
			first = false;
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				switch (c) {
					case '%' -> canonical.append("%25");
					case '&' -> canonical.append("%26");
					case '=' -> canonical.append("%3D");
					case ' ' -> canonical.append("%20");
					default -> canonical.append(c);
				}
			}
		}
	}

	/**
	 * Builds {@link TokenParameters}.
	 */
	public static final class Builder {

		private final Set<String> scopes = new TreeSet<>();

		private final Set<String> audiences = new TreeSet<>();

		private final Set<String> resources = new TreeSet<>();

		private Builder() {
		}

		/**
		 * Add scopes. A value that holds whitespace is split into the scopes it lists.
		 * @param scopes the scopes, each non-empty
		 * @return this builder
		 */
		public Builder scopes(Collection<String> scopes) {
			addAll(this.scopes, scopes, "scope");
			// a scope holds no whitespace (RFC 6749 §3.3): "a b" asks for the scopes a
			// and
			// b, the same parameters as "b a" or scopes a and b given apart
			for (String value : scopes) {
				if (!value.strip().equals(value) || value.strip().split("\\s+").length > 1) {
					this.scopes.remove(value);
					this.scopes.addAll(Arrays.asList(value.strip().split("\\s+")));
				}
			}
			return this;
		}

		/**
		 * Add audiences.
		 * @param audiences the audiences, each non-empty
		 * @return this builder
		 */
		public Builder audiences(Collection<String> audiences) {
			addAll(this.audiences, audiences, "audience");
			return this;
		}

		/**
		 * Add resources (absolute URIs without a fragment, RFC 8707).
		 * @param resources the resources, each non-empty
		 * @return this builder
		 */
		public Builder resources(Collection<String> resources) {
			addAll(this.resources, resources, "resource");
			return this;
		}

		/**
		 * Build the parameters.
		 * @return the parameters, {@link #NONE} when no value was added
		 */
		public TokenParameters build() {
			if (this.scopes.isEmpty() && this.audiences.isEmpty() && this.resources.isEmpty()) {
				return NONE;
			}
			return new TokenParameters(frozen(this.scopes), frozen(this.audiences), frozen(this.resources));
		}

		private static void addAll(Set<String> target, Collection<String> values, String name) {
			Assert.notNull(values, () -> name + "s must not be null");
			for (String value : values) {
				Assert.hasText(value, () -> "a " + name + " must not be empty");
				target.add(value);
			}
		}

		private static Set<String> frozen(Set<String> values) {
			return values.isEmpty() ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(values));
		}

	}

}
