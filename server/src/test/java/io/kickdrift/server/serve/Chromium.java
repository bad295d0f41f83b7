package io.kickdrift.server.serve;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for the console's browser tests.
 * Nothing is downloaded: the driver and the browser are given by path, so Selenium Manager never
 * runs. A missing package fails the test, naming it (CI installs both in .ci/run).
 *
 * <p>Example: {@code try (Chromium c = Chromium.start(dir)) { c.driver().get(url);
 * c.screenshot("login"); }}
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /** Where screenshots go (the module's directory is the working directory of the tests). */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * Waits are long because CI is a 2-core machine that may be building or testing something else at
   * the same time; every wait still ends.
   */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * The flags and why: headless without a display; {@code --no-sandbox} because CI runs as root,
   * where Chromium refuses to start sandboxed; no GPU in a container; the network is closed here,
   * so every background fetch (component updates, sync, QUIC probes, first-run pings) would stall
   * page loads on refused connections; {@code /dev/shm} is small in containers; a fixed window so
   * that screenshots are the same size each run.
   */
  static final List<String> FLAGS =
      List.of(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1280,900");

  private final ChromeDriver driver;
  private final ChromeDriverService service;

  private Chromium(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  /** Fails naming the Debian package when chromium or chromedriver is not installed. */
  static void require() {
    Cmd.requireAll("chromium=chromium", "chromedriver=chromium-driver");
  }

  /**
   * Starts chromedriver and a headless Chromium with a fresh profile under {@code dir}; the
   * driver's log goes to {@code dir/chromedriver.log}.
   */
  static Chromium start(Path dir) throws IOException {
    require();
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile);
    // A dialog stays open until a test looks for it: the hostile-content test must see one that a
    // page opened, and the netboot test accepts its confirm() itself.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    options.setPageLoadTimeout(Duration.ofSeconds(60));
    options.setScriptTimeout(PATIENCE);
    try {
      return new Chromium(new ChromeDriver(service, options), service);
    } catch (RuntimeException e) {
      service.stop();
      throw new AssertionError(
          "chromium did not start headless; chromedriver's log: "
              + dir.resolve("chromedriver.log")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** A wait of {@link #PATIENCE} on this browser. */
  WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
    // the console re-renders what changed: an element read while it is replaced is read again
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /**
   * The text of the element {@code by} finds, found again if the console re-renders it between the
   * find and the read (a stale element).
   */
  String text(By by) {
    return waiting().until(d -> d.findElement(by).getText());
  }

  /**
   * Waits until {@code element} has left the page (a navigation replaced it). The driver says so
   * with a stale-element error or, when the page goes while the element is being asked about, with
   * an inspector error that the node "does not belong to the document" (seen once in CI with
   * Chromium 156, which {@code ExpectedConditions.stalenessOf} does not take as gone).
   */
  void waitGone(WebElement element) {
    waiting()
        .until(
            d -> {
              try {
                element.isEnabled();
                return false;
              } catch (StaleElementReferenceException e) {
                return true;
              } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                  return true;
                }
                throw e;
              }
            });
  }

  /** The page as the browser shows it now, saved as {@code target/screenshots/NAME.png}. */
  Path screenshot(String name) throws IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path to = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
    Files.copy(shot, to, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(shot);
    return to;
  }

  /** Whatever happens to the browser, chromedriver is stopped. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
