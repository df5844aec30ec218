/**
 * Internal to TokenKit, not API: the reading of answers and the shaping of errors that
 * every TokenKit client shares (lenient JSON bodies, redaction of secrets, truncation of
 * server text, base URLs, transport failures) and the limits of every token call
 * (timeouts, retries, Retry-After, largest answer). Its types may change or go away in
 * any release without notice; do not use them from application code.
 */
@NullMarked
package io.tokenkit.support;

import org.jspecify.annotations.NullMarked;
