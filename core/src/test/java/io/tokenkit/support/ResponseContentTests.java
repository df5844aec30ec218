package io.tokenkit.support;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResponseContent} and {@link ResponseBodies}.
 */
class ResponseContentTests {

	@Test
	void readWhenJsonObjectThenStatusContentTypeHeaderAndJson() {
		ClientResponse response = ClientResponse.create(HttpStatus.OK)
			.header("Content-Type", "application/json")
			.header("X-Trace", "t-1")
			.body("{\"access_token\":\"at-1\",\"expires_in\":60}")
			.build();
		ResponseContent content = ResponseContent.read(response).block();
		assertThat(content.getStatusCode()).isEqualTo(200);
		assertThat(content.isSuccessful()).isTrue();
		assertThat(content.getContentType()).isEqualTo("application/json");
		assertThat(content.getHeader("X-Trace")).isEqualTo("t-1");
		assertThat(content.getJsonObject()).isNotNull();
		assertThat(ResponseBodies.text(content.getJsonObject(), "expires_in")).isEqualTo("60");
		assertThat(content.toString()).doesNotContain("at-1");
	}

	@Test
	void readWhenEmptyBodyWithoutContentTypeThenNoJson() {
		ResponseContent content = ResponseContent.read(ClientResponse.create(HttpStatus.BAD_GATEWAY).build()).block();
		assertThat(content.isSuccessful()).isFalse();
		assertThat(content.getContentType()).isEqualTo("no content type");
		assertThat(content.getBody()).isEmpty();
		assertThat(content.getJson()).isNull();
	}

	@Test
	void readWhenJsonArrayThenJsonButNoJsonObject() {
		ResponseContent content = ResponseContent
			.read(ClientResponse.create(HttpStatus.OK).header("Content-Type", "application/json").body("[1]").build())
			.block();
		assertThat(content.getJson()).isNotNull();
		assertThat(content.getJsonObject()).isNull();
	}

	@Test
	void readWhenCharsetNamedThenBodyDecodedWithIt() {
		byte[] latin1 = "{\"error_description\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		ClientResponse response = ClientResponse.create(HttpStatus.BAD_REQUEST)
			.header("Content-Type", "application/json;charset=ISO-8859-1")
			.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(latin1)))
			.build();
		ResponseContent content = ResponseContent.read(response).block();
		assertThat(ResponseBodies.text(content.getJsonObject(), "error_description")).isEqualTo("caf\u00e9");
	}

	@Test
	void parseWhenBlankOrNotJsonThenNull() {
		assertThat(ResponseBodies.parse("  ")).isNull();
		assertThat(ResponseBodies.parse("<html>")).isNull();
		assertThat(ResponseBodies.parse(new byte[0])).isNull();
	}

}
