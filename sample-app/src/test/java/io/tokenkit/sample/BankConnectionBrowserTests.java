package io.tokenkit.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank connection as a customer meets it, in Debian's headless Chromium driven by
 * Selenium: "Connect your bank account" → the sandbox bank's consent page → approve →
 * back at the callback → the status page → a bank API call with the customer's token. A
 * screenshot of the connected state goes to {@code target/screenshots/connected.png}.
 * Chromium and chromedriver must be installed
 * ({@code apt-get install chromium chromium-driver}, which the build does before the
 * tests); the test fails when they are not.
 * <p>
 * A page that does not load fails the test within seconds ({@link #PAGE_LOAD}), saying
 * which page; so does a page that loads without what the test waits for ({@link #WAIT}).
 */
class BankConnectionBrowserTests extends SampleIntegrationTest {

	private static final String CHROMIUM = System.getProperty("tokenkit.sample.chromium", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

	/** The longest a page may take to load after a click or an address. */
	private static final Duration PAGE_LOAD = Duration.ofSeconds(10);

	/** The longest the test waits for a loaded page to show what it expects. */
	private static final Duration WAIT = Duration.ofSeconds(5);

	/** The longest one command to chromedriver may take, a page load included. */
	private static final Duration DRIVER_COMMAND = Duration.ofSeconds(30);

	private Path profile;

	private WebDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void startBrowser() throws IOException {
		assertThat(new File(CHROMIUM)).as("Chromium (apt-get install chromium)").canRead();
		assertThat(new File(CHROMEDRIVER)).as("chromedriver (apt-get install chromium-driver)").canRead();
		this.profile = Files.createTempDirectory("chromium-profile-");
		// A new, empty profile, and none of Chromium's own traffic to Google's hosts:
		// without network those connections are refused slowly and hold pages up.
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
					"--no-first-run", "--window-size=1280,900", "--user-data-dir=" + this.profile);
		options.setPageLoadTimeout(PAGE_LOAD);
		options.setScriptTimeout(WAIT);
		options.setImplicitWaitTimeout(Duration.ZERO);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.withTimeout(DRIVER_COMMAND)
			.build();
		this.browser = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(DRIVER_COMMAND));
		this.wait = new WebDriverWait(this.browser, WAIT);
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

	@Test
	void connectWhenCustomerApprovesThenStatusPageShowsMaskedTokenAndBankApiAnswersWithoutTokenInPage()
			throws IOException {
		load("the bank connection page (/bank)", () -> this.browser.get("http://localhost:" + this.port + "/bank"));
		load("the sandbox bank's consent page, after 'Connect your bank account'",
				() -> this.browser.findElement(By.id("connect")).click());

		await("the consent page's Approve button (#approve)",
				ExpectedConditions.presenceOfElementLocated(By.id("approve")));
		assertThat(this.browser.getTitle()).contains("GMO Aozora Net Bank (sandbox)");
		assertThat(this.browser.getPageSource()).contains("private:account");
		load("the status page, after Approve (callback, code exchange, redirect)",
				() -> this.browser.findElement(By.id("approve")).click());

		await("the status page (/bank/status)",
				ExpectedConditions.urlToBe("http://localhost:" + this.port + "/bank/status"));
		assertThat(this.browser.findElement(By.id("connection-status")).getText()).isEqualTo("Connected");
		assertThat(this.browser.findElement(By.id("token-masked")).getText()).matches("aozo\u2026 \\(\\d+ chars\\)");
		assertThat(this.browser.findElement(By.id("token-scopes")).getText()).contains("private:account", "openid");
		assertThat(Long.parseLong(this.browser.findElement(By.id("token-seconds")).getText())).isBetween(1L, 60L);
		assertNoSecretInPage();
		screenshot("connected.png");

		load("the accounts page, after 'Show my accounts (calls the bank API)'",
				() -> this.browser.findElement(By.id("call-bank")).click());
		await("the accounts (#accounts) on the status page",
				ExpectedConditions.presenceOfElementLocated(By.id("accounts")));
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

	/**
	 * Do what loads a page (an address, a click on a link or a button), failing with the
	 * page's name when it does not load within {@link #PAGE_LOAD}.
	 */
	private void load(String page, Runnable navigation) {
		try {
			navigation.run();
		}
		catch (TimeoutException ex) {
			throw new AssertionError(page + " did not load within " + PAGE_LOAD.toSeconds() + " seconds", ex);
		}
	}

	/**
	 * Wait at most {@link #WAIT} for a loaded page to show what is awaited.
	 */
	private <T> T await(String awaited, ExpectedCondition<T> condition) {
		return this.wait.withMessage(
				() -> "waiting " + WAIT.toSeconds() + " seconds for " + awaited + " at " + this.browser.getCurrentUrl())
			.until(condition);
	}

	/**
	 * Save a screenshot of the page to {@code target/screenshots}, for a person to look
	 * at (it is not compared).
	 */
	private void screenshot(String name) throws IOException {
		Path directory = Files.createDirectories(Path.of("target", "screenshots"));
		File shot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

	private void assertNoSecretInPage() {
		String html = this.browser.getPageSource();
		assertThat(this.tokenStore.secrets()).isNotEmpty()
			.allSatisfy((secret) -> assertThat(html).doesNotContain(secret));
	}

}
