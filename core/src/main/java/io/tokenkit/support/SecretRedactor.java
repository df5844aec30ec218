package io.tokenkit.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.util.UriUtils;

/**
 * Replaces secrets that a server echoed in its answer with {@link #REDACTED}: each secret
 * as sent, form-encoded ({@link java.net.URLEncoder}) and percent-encoded (as in a URL
 * query). Internal to TokenKit.
 */
public final class SecretRedactor {

	/** What a secret is replaced with. */
	public static final String REDACTED = "[REDACTED]";

	private static final SecretRedactor NONE = new SecretRedactor(List.of());

	private final List<String> forms;

	private SecretRedactor(List<String> forms) {
		this.forms = forms;
	}

	/**
	 * Return a redactor of some secrets; {@code null} and empty values are ignored.
	 * @param secrets the secrets
	 * @return the redactor
	 */
	public static SecretRedactor of(Collection<? extends @Nullable String> secrets) {
		Assert.notNull(secrets, "secrets must not be null");
		Set<String> forms = new LinkedHashSet<>();
		for (String secret : secrets) {
			if (secret != null && !secret.isEmpty()) {
				forms.add(secret);
				forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
				forms.add(UriUtils.encode(secret, StandardCharsets.UTF_8));
			}
		}
		if (forms.isEmpty()) {
			return NONE;
		}
		List<String> sorted = new ArrayList<>(forms);
		// The longest first, so that a secret that holds another is replaced whole.
		sorted.sort(Comparator.comparingInt(String::length).reversed());
		return new SecretRedactor(List.copyOf(sorted));
	}

	/**
	 * Return a redactor of one secret.
	 * @param secret the secret, or {@code null} for none
	 * @return the redactor
	 */
	public static SecretRedactor of(@Nullable String secret) {
		return (secret != null) ? of(List.of(secret)) : NONE;
	}

	/**
	 * Replace every secret in a text.
	 * @param text the text, for example an error description
	 * @return the text without the secrets, or {@code null} when the text was
	 * {@code null}
	 */
	public @Nullable String redact(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String form : this.forms) {
			result = result.replace(form, REDACTED);
		}
		return result;
	}

	@Override
	public String toString() {
		return "SecretRedactor[" + this.forms.size() + " forms]";
	}

}
