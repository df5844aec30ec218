package io.tokenkit.docs;

// tag::connect-bank[]
import java.net.URI;

import io.tokenkit.token.NoTokenForSubjectException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

@ControllerAdvice
class ConnectBank {

	@ExceptionHandler(NoTokenForSubjectException.class)
	ResponseEntity<Void> connect() {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/bank/connect")).build();
	}

}
// end::connect-bank[]
