/**
 * The public extension types of a registration: the {@link RegistrationDefinition} a
 * {@link RegistrationTokenSourceFactory} is given to create a registration's token
 * source, independent of where the registration was configured, and the
 * {@link InvalidTokenKitPropertyException} that names a wrong setting's property.
 */
@NullMarked
package io.tokenkit.registration;

import org.jspecify.annotations.NullMarked;
