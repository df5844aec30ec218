package io.tokenkit.service;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenkit.token.TokenKitRegistration;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.core.MethodParameter;
import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.service.invoker.HttpRequestValues;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServiceRegistrationResolverTests {

	private final HttpServiceRegistrationResolver resolver = new HttpServiceRegistrationResolver(
			Set.of("orders", "billing", "group")::contains);

	@Test
	void resolveWhenMethodAnnotatedThenMethodWinsOverTypeAndGroup() {
		assertThat(this.resolver.resolve(method(TypeAnnotated.class, "methodAnnotated"), "group")).isEqualTo("billing");
	}

	@Test
	void resolveWhenOnlyTypeAnnotatedThenTypeWinsOverGroup() {
		assertThat(this.resolver.resolve(method(TypeAnnotated.class, "plain"), "group")).isEqualTo("orders");
	}

	@Test
	void resolveWhenNotAnnotatedThenGroupRegistration() {
		assertThat(this.resolver.resolve(method(Plain.class, "plain"), "group")).isEqualTo("group");
	}

	@Test
	void resolveWhenNotAnnotatedAndNoGroupRegistrationThenNone() {
		assertThat(this.resolver.resolve(method(Plain.class, "plain"), null)).isNull();
	}

	@Test
	void resolveWhenClientRegistrationIdServedThenItCountsAsTheAnnotation() {
		assertThat(this.resolver.resolve(method(SecurityAnnotated.class, "plain"), "group")).isEqualTo("orders");
		assertThat(this.resolver.resolve(method(SecurityAnnotated.class, "methodAnnotated"), "group"))
			.isEqualTo("billing");
	}

	@Test
	void resolveWhenClientRegistrationIdNotServedThenNoTokenKitToken() {
		assertThat(this.resolver.resolve(method(SecurityAnnotated.class, "github"), "group")).isNull();
		assertThat(this.resolver.resolve(method(ForeignType.class, "plain"), "group")).isNull();
	}

	@Test
	void resolveWhenBothAnnotationsOnOneElementThenTokenKitRegistrationWins() {
		assertThat(this.resolver.resolve(method(SecurityAnnotated.class, "both"), "group")).isEqualTo("orders");
	}

	@Test
	void declarationWhenTokenKitRegistrationUnknownThenStillDeclared() {
		HttpServiceRegistrationResolver.Declaration declaration = HttpServiceRegistrationResolver
			.declaration(method(Plain.class, "unknown"));
		assertThat(declaration).isNotNull();
		assertThat(declaration.registrationId()).isEqualTo("nope");
		assertThat(declaration.isTokenKit()).isTrue();
	}

	@Test
	void processWhenRegistrationThenAttributeElseNone() {
		RegistrationAttributeProcessor processor = new RegistrationAttributeProcessor(this.resolver, null);
		HttpRequestValues.Builder annotated = HttpRequestValues.builder();
		processor.process(method(TypeAnnotated.class, "plain"), new MethodParameter[0], new Object[0], annotated);
		assertThat(annotated.build().getAttributes()).containsEntry(TokenRequestAttributes.REGISTRATION, "orders");
		HttpRequestValues.Builder plain = HttpRequestValues.builder();
		processor.process(method(Plain.class, "plain"), new MethodParameter[0], new Object[0], plain);
		assertThat(plain.build().getAttributes()).doesNotContainKey(TokenRequestAttributes.REGISTRATION);
	}

	@Test
	void parametersWhenTheNamingAnnotationAsksForThemThenTheyAreReadFromIt() {
		assertThat(this.resolver.parameters(method(Scoped.class, "write"))).isEqualTo(TokenParameters.builder()
			.scopes(List.of("orders.write", "orders.read"))
			.audiences(List.of("https://orders.example"))
			.resources(List.of("https://orders.example/v2"))
			.build());
		assertThat(this.resolver.parameters(method(Scoped.class, "read"))).as("from the interface's annotation")
			.isEqualTo(TokenParameters.scopes("orders.read"));
		assertThat(this.resolver.parameters(method(Scoped.class, "defaults")))
			.as("the method's annotation names the registration and asks for nothing")
			.isSameAs(TokenParameters.NONE);
		assertThat(this.resolver.parameters(method(Scoped.class, "security")))
			.as("another annotation names the registration")
			.isSameAs(TokenParameters.NONE);
		assertThat(this.resolver.parameters(method(Plain.class, "plain"))).isSameAs(TokenParameters.NONE);
	}

	@Test
	void processWhenTheAnnotationAsksForParametersThenTheAttributeHoldsOneValueMadeOncePerMethod() {
		RegistrationAttributeProcessor processor = new RegistrationAttributeProcessor(this.resolver, "group");
		Method write = method(Scoped.class, "write");
		HttpRequestValues.Builder first = HttpRequestValues.builder();
		processor.process(write, new MethodParameter[0], new Object[0], first);
		HttpRequestValues.Builder second = HttpRequestValues.builder();
		processor.process(write, new MethodParameter[0], new Object[0], second);
		Object parameters = first.build().getAttributes().get(TokenRequestAttributes.PARAMETERS);
		assertThat(parameters).isEqualTo(this.resolver.parameters(write));
		assertThat(second.build().getAttributes().get(TokenRequestAttributes.PARAMETERS)).isSameAs(parameters);
		assertThat(first.build().getAttributes()).containsEntry(TokenRequestAttributes.REGISTRATION, "orders");
		HttpRequestValues.Builder defaults = HttpRequestValues.builder();
		processor.process(method(Scoped.class, "defaults"), new MethodParameter[0], new Object[0], defaults);
		assertThat(defaults.build().getAttributes()).doesNotContainKey(TokenRequestAttributes.PARAMETERS);
	}

	private static Method method(Class<?> type, String name) {
		Method method = ReflectionUtils.findMethod(type, name);
		assertThat(method).isNotNull();
		return method;
	}

	@TokenKitRegistration("orders")
	interface TypeAnnotated {

		@TokenKitRegistration("billing")
		String methodAnnotated();

		String plain();

	}

	interface Plain {

		String plain();

		@TokenKitRegistration("nope")
		String unknown();

	}

	@ClientRegistrationId("orders")
	interface SecurityAnnotated {

		String plain();

		@ClientRegistrationId("billing")
		String methodAnnotated();

		@ClientRegistrationId("github")
		String github();

		@TokenKitRegistration("orders")
		@ClientRegistrationId("billing")
		String both();

	}

	@TokenKitRegistration(value = "orders", scopes = "orders.read")
	interface Scoped {

		String read();

		@TokenKitRegistration(value = "orders", scopes = { "orders.write", "orders.read", "orders.write" },
				audiences = "https://orders.example", resources = "https://orders.example/v2")
		String write();

		@TokenKitRegistration("orders")
		String defaults();

		@ClientRegistrationId("billing")
		String security();

	}

	@ClientRegistrationId("github")
	interface ForeignType {

		String plain();

	}

}
