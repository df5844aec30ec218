package io.tokenkit.sample;

import java.io.File;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank connection as a customer meets it, in Debian's headless Chromium driven by
 * Selenium: "Connect your bank account" → the sandbox bank's consent page → approve →
 * back at the callback → the status page → a bank API call with the customer's token.
 * Chromium and chromedriver must be installed
 * ({@code apt-get install chromium chromium-driver}); the test fails when they are not.
 */
class BankConnectionBrowserTests extends SampleIntegrationTest {

	private static final String CHROMIUM = System.getProperty("tokenkit.sample.chromium", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

	private WebDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void startBrowser() {
		assertThat(new File(CHROMIUM)).as("Chromium (apt-get install chromium)").canRead();
		assertThat(new File(CHROMEDRIVER)).as("chromedriver (apt-get install chromium-driver)").canRead();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--no-first-run");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void connectWhenCustomerApprovesThenStatusPageShowsMaskedTokenAndBankApiAnswersWithoutTokenInPage() {
		this.browser.get("http://localhost:" + this.port + "/bank");
		this.browser.findElement(By.id("connect")).click();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("approve")));
		assertThat(this.browser.getTitle()).contains("GMO Aozora Net Bank (sandbox)");
		assertThat(this.browser.getPageSource()).contains("private:account");
		this.browser.findElement(By.id("approve")).click();

		this.wait.until(ExpectedConditions.urlToBe("http://localhost:" + this.port + "/bank/status"));
		assertThat(this.browser.findElement(By.id("connection-status")).getText()).isEqualTo("Connected");
		assertThat(this.browser.findElement(By.id("token-masked")).getText()).matches("aozo\u2026 \\(\\d+ chars\\)");
		assertThat(this.browser.findElement(By.id("token-scopes")).getText()).contains("private:account", "openid");
		assertThat(Long.parseLong(this.browser.findElement(By.id("token-seconds")).getText())).isBetween(1L, 60L);
		assertNoSecretInPage();

		this.browser.findElement(By.id("call-bank")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("accounts")));
		assertThat(this.browser.findElement(By.className("balance")).getText()).isEqualTo("1250000 JPY");
		assertNoSecretInPage();
	}

	@Test
	void callbackWhenStateDoesNotMatchSessionThenConnectionRefused() {
		EntityExchangeResult<Void> connect = http().get()
			.uri("/bank/connect")
			.exchange()
			.expectStatus()
			.isFound()
			.expectBody()
			.isEmpty();
		ResponseCookie session = connect.getResponseCookies().getFirst("SESSION");
		assertThat(session).isNotNull();
		String page = http().get()
			.uri("/bank/callback?code=some-code&state=0000")
			.cookie(session.getName(), session.getValue())
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.BAD_REQUEST)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("Bank connection refused").contains("state");
	}

	private void assertNoSecretInPage() {
		String html = this.browser.getPageSource();
		assertThat(this.tokenStore.secrets()).isNotEmpty()
			.allSatisfy((secret) -> assertThat(html).doesNotContain(secret));
	}

}
