package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.serve.ConsoleServe.User;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The console in real headless Chromium (Debian's chromium and chromium-driver, through Selenium),
 * against serve started from the jar, as a person would use it: log in, see the inventory's hosts,
 * turn netboot on and see the TFTP menu change (tftp-hpa), post the install callback with curl and
 * watch the host page change without a reload, read a drift diff; what a viewer cannot do, a form
 * post without its CSRF token, the account lockout, and hostile inventory and file content shown as
 * text. Every page is photographed into target/screenshots/ (docs/screenshots/ in the repo).
 * docs/browser-tests.md tells how to run them and what each proves.
 */
class ConsoleBrowserIT {
  private static final User OPERATOR = new User("olive", "operator", "olive-operates-9-hosts");
  private static final User VIEWER = new User("vera", "viewer", "vera-only-looks-at-them");
  private static final User ADMIN = new User("ada", "admin", "ada-administers-the-lot");

  /** web01 boots into the installer in the example inventory (netboot: true). */
  private static final String WEB01 = "web01.lab.example.com";

  /** web02 does not (no netboot key): its menu boots the local disk. */
  private static final String WEB02 = "web02.lab.example.com";

  /** The line the seeded drift adds to alpha.conf on web01. */
  private static final String SEEDED = "seeded = by ConsoleBrowserIT";

  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String ATTRIBUTE = "\"'><img src=x onerror=alert(1)>";
  private static final String RLO = "\u202E";

  /**
   * Long enough that the right password, tried just after the fifth wrong one, lands inside the
   * lock even on a busy 2-core CI machine; short enough to wait out.
   */
  private static final Duration LOCKOUT = Duration.ofSeconds(10);

  @TempDir static Path shared;
  private static Path inventory;
  private static Path repo;

  @TempDir Path dir;

  @BeforeAll
  static void peersInventoryAndRepository() throws Exception {
    Chromium.require();
    Cmd.requireAll("tftp=tftp-hpa", "curl=curl", "dpkg=dpkg", "dpkg-deb=dpkg");
    // callbacks come from loopback here, not from the hosts' addresses
    String text = Files.readString(EXAMPLE);
    assertThat(text).contains("  address: 192.0.2.10\n");
    inventory =
        Files.writeString(
            shared.resolve("inventory.yaml"),
            text.replace(
                "  address: 192.0.2.10\n", "  address: 192.0.2.10\n  kickstart-from: any\n"));
    repo = shared.resolve("config.git");
    SeededDrift.scan(
        shared,
        repo,
        WEB01,
        Map.of(
            SeededDrift.CONF,
            SeededDrift.PACKAGED.replace("listen = 80", "listen = 8080") + SEEDED + "\n"));
  }

  // the harness, and the login redirect the router gives every console page

  @Test
  void chromiumReachesServeAndAConsolePageWithoutASessionSendsItToTheLogin() throws Exception {
    try (ConsoleServe serve = ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of());
        Chromium chromium = Chromium.start(dir)) {
      WebDriver d = chromium.driver();
      d.get(serve.url("/healthz"));
      assertThat(chromium.text(By.tagName("body"))).isNotBlank();
      assertThat(chromium.screenshot("harness-healthz")).isNotEmptyFile();

      d.get(serve.url("/ui/hosts?q=web"));
      chromium.waiting().until(ExpectedConditions.urlContains("/ui/login"));
      URI at = URI.create(d.getCurrentUrl());
      assertThat(at.getPath()).isEqualTo("/ui/login");
      assertThat(at.getRawQuery()).isEqualTo("next=" + encode("/ui/hosts?q=web"));
    }
  }

  // a: log in and every page

  @Test
  void anOperatorLogsInAndEveryPageShows() throws Exception {
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, repo, List.of(OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      d.get(serve.url("/ui/"));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
      chromium.screenshot("login");
      logIn(chromium, OPERATOR);
      assertThat(chromium.text(By.id("whoami"))).contains("olive", "operator");
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("by-state")));
      assertThat(d.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content"))
          .isNotBlank();
      chromium.screenshot("overview");

      visit(chromium, "nav-hosts", By.id("hosts"), "hosts");
      d.findElement(By.cssSelector("tr[data-host='" + WEB01 + "'] td.host-name a")).click();
      chromium
          .waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("host-name"), WEB01));
      assertThat(chromium.text(By.id("kickstart"))).isNotBlank();
      assertThat(chromium.text(By.id("boot-menu"))).isNotBlank();
      chromium.screenshot("host");

      d.findElement(By.cssSelector("a.drift-file[data-path='" + SeededDrift.CONF + "']")).click();
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("diff-packaged")));
      chromium.screenshot("host-file-diff");

      visit(chromium, "nav-drift", By.id("fleet-drift"), "drift");
      // variants: the first profile with hosts by default (web01's), its file with its holder
      visit(chromium, "to-variants", By.id("variants-profile"), null);
      assertThat(d.findElement(By.cssSelector("#variants-profile select")).getAttribute("value"))
          .isEqualTo("web-rocky9");
      WebElement row =
          d.findElement(
              By.cssSelector("#variants-web-rocky9 tr[data-path='" + SeededDrift.CONF + "']"));
      assertThat(row.findElement(By.cssSelector("td.owner")).getText()).isEqualTo("unclaimed");
      WebElement variant = row.findElement(By.cssSelector("li.variant[data-number='1']"));
      assertThat(variant.getAttribute("data-kind")).isEqualTo("file");
      assertThat(variant.findElement(By.cssSelector("span.holders")).getText()).isEqualTo(WEB01);
      assertThat(variant.findElement(By.cssSelector("div.adopt")).getText())
          .isEqualTo("kickdrift adopt " + SeededDrift.CONF + " --profile web-rocky9 --variant 1");
      chromium.screenshot("variants");
      // another profile, chosen in the form: its hosts were never scanned
      new org.openqa.selenium.support.ui.Select(
              d.findElement(By.cssSelector("#variants-profile select")))
          .selectByValue("workstation-fedora");
      WebElement before = d.findElement(By.tagName("html"));
      d.findElement(By.cssSelector("#variants-profile button")).click();
      chromium.waitGone(before);
      WebElement other =
          chromium
              .waiting()
              .until(
                  ExpectedConditions.presenceOfElementLocated(
                      By.id("variants-workstation-fedora")));
      assertThat(other.getText()).contains("No drift recorded for this profile's hosts.");
      assertThat(d.getCurrentUrl()).endsWith("/ui/drift/variants?profile=workstation-fedora");
      visit(chromium, "nav-events", By.id("events"), "events");
      visit(chromium, "nav-problems", By.id("problems"), "problems");
      visit(chromium, "nav-tokens", By.id("token-new"), "tokens");
      visit(chromium, "nav-overview", By.id("by-state"), null);
    }
  }

  // b: the inventory's hosts

  @Test
  void theHostsPageListsTheInventorysHosts() throws Exception {
    List<String> names = new ArrayList<>();
    for (JsonNode h :
        new ObjectMapper(new YAMLFactory()).readTree(inventory.toFile()).get("hosts")) {
      names.add(h.get("name").asText());
    }
    assertThat(names).as("hosts of %s", inventory).isNotEmpty();
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of(OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      logIn(chromium, OPERATOR, serve.url("/ui/hosts"));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("hosts")));
      List<String> shown = new ArrayList<>();
      for (WebElement row :
          chromium.driver().findElements(By.cssSelector("#hosts tr[data-host]"))) {
        shown.add(row.getAttribute("data-host"));
        assertThat(row.findElement(By.cssSelector("td.host-name")).getText())
            .isEqualTo(row.getAttribute("data-host"));
      }
      assertThat(shown).containsExactlyInAnyOrderElementsOf(names);
      assertThat(
              chromium
                  .driver()
                  .findElement(By.cssSelector("tr[data-host='" + WEB02 + "'] td.host-netboot"))
                  .getText())
          .isEqualTo("off");
    }
  }

  // c: netboot on, seen by tftp

  @Test
  void turningNetbootOnFromTheHostPageChangesTheMenuTftpFetches() throws Exception {
    String menu = "pxelinux.cfg/01-" + firstMac(WEB02);
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of(OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      assertThat(serve.tftp(menu)).contains("DEFAULT local").doesNotContain("inst.ks");
      ChromeDriver d = chromium.driver();
      logIn(chromium, OPERATOR, serve.url("/ui/hosts/" + WEB02));
      chromium
          .waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("host-name"), WEB02));
      assertThat(chromium.text(By.id("netboot"))).isEqualTo("off");

      d.findElement(By.id("netboot-toggle")).click();
      // console.js asks before it posts; a person says yes
      chromium.waiting().until(ExpectedConditions.alertIsPresent()).accept();
      chromium
          .waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("netboot"), "on"));
      assertThat(chromium.text(By.id("netboot"))).isEqualTo("on");
      String[] seen = new String[1];
      waitFor(
          "the TFTP menu of " + WEB02 + " to boot the installer",
          () -> (seen[0] = serve.tftp(menu)).contains("DEFAULT install"));
      assertThat(seen[0]).contains("inst.ks").doesNotContain("DEFAULT local");
    }
  }

  // d: the callback, seen live

  @Test
  void theHostPageShowsTheCallbackLiveWithoutAReload() throws Exception {
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of(OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      String callback = serve.callbackPath(WEB01);
      ChromeDriver d = chromium.driver();
      // The page's event stream must be open before the callback, or the test would race it: a
      // script Chromium runs before each page's own keeps the EventSources the page makes.
      d.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument",
          Map.of(
              "source",
              "window.kdStreams = []; window.EventSource = class extends window.EventSource {"
                  + " constructor(...a) { super(...a); window.kdStreams.push(this); } };"));
      logIn(chromium, OPERATOR, serve.url("/ui/hosts/" + WEB01));
      chromium
          .waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("host-name"), WEB01));
      chromium
          .waiting()
          .withMessage("the host page's EventSource to open")
          .until(
              dr ->
                  Boolean.TRUE.equals(
                      d.executeScript(
                          "return window.kdStreams.some(s => s.readyState === EventSource.OPEN"
                              + " && s.url.includes('/api/v1/events/stream'));")));
      String stateBefore = chromium.text(By.id("host-state"));
      int eventsBefore = d.findElements(By.cssSelector("#timeline li.event")).size();
      // A reload would lose the marker and start a new navigation (another timeOrigin).
      Object origin =
          d.executeScript(
              "window.kdBrowserTestMarker = 'still here'; return performance.timeOrigin;");

      Cmd.Result curl =
          Cmd.run(
              List.of(
                  "curl",
                  "-sS",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  "-X",
                  "POST",
                  serve.url(callback)));
      assertThat(curl.out()).as("curl -X POST %s: %s", callback, curl.err()).isEqualTo("200");

      chromium
          .waiting()
          .withMessage(() -> "the timeline to gain the callback's event; log:\n" + serve.logText())
          .until(dr -> dr.findElements(By.cssSelector("#timeline li.event")).size() > eventsBefore);
      chromium
          .waiting()
          .until(
              ExpectedConditions.not(
                  ExpectedConditions.textToBe(By.id("host-state"), stateBefore)));
      assertThat(d.executeScript("return window.kdBrowserTestMarker;")).isEqualTo("still here");
      assertThat(d.executeScript("return performance.timeOrigin;")).isEqualTo(origin);
      assertThat(d.executeScript("return performance.getEntriesByType('navigation').length;"))
          .isEqualTo(1L);
      chromium.screenshot("host-after-callback");
    }
  }

  // e: drift

  @Test
  void theHostsDriftShowsTheSeededChangeSideBySide() throws Exception {
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, repo, List.of(VIEWER));
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      logIn(chromium, VIEWER, serve.url("/ui/hosts/" + WEB01));
      chromium
          .waiting()
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#drift a.drift-file[data-path='" + SeededDrift.CONF + "']")))
          .click();
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("diff-packaged")));
      List<WebElement> added =
          d.findElements(
              By.xpath(
                  "//table[@id='diff-packaged']//tr[contains(@class,'added')"
                      + " or contains(@class,'changed')]/td[contains(@class,'right')]"));
      assertThat(added)
          .extracting(WebElement::getText)
          .anySatisfy(t -> assertThat(t).contains(SEEDED));
      List<WebElement> changed = d.findElements(By.cssSelector("#diff-packaged tr.changed"));
      assertThat(changed)
          .anySatisfy(
              row -> {
                assertThat(row.findElement(By.cssSelector("td.left")).getText())
                    .contains("listen = 80");
                assertThat(row.findElement(By.cssSelector("td.right")).getText())
                    .contains("listen = 8080");
              });
      assertThat(chromium.text(By.id("diff-packaged"))).contains("log = info");
    }
  }

  // f: a viewer

  @Test
  void aViewerHasNoNetbootButtonAndTheApiRefusesItsToken() throws Exception {
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of(VIEWER, OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      logIn(chromium, VIEWER, serve.url("/ui/hosts/" + WEB02));
      chromium
          .waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("host-name"), WEB02));
      assertThat(chromium.text(By.id("whoami"))).contains("vera", "viewer");
      assertThat(chromium.text(By.id("netboot"))).isEqualTo("off");
      assertThat(d.findElements(By.id("netboot-form"))).isEmpty();
      assertThat(d.findElements(By.id("netboot-toggle"))).isEmpty();
      chromium.screenshot("host-as-viewer");

      HttpClient http = HttpClient.newHttpClient();
      String viewer = serve.apiToken("vera", "viewer");
      HttpResponse<String> refused = netbootApi(http, serve, WEB02, "Bearer " + viewer);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      // the same call with an operator's token passes: the 403 was the role, not the request
      String operator = serve.apiToken("olive", "operator");
      HttpResponse<String> done = netbootApi(http, serve, WEB02, "Bearer " + operator);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      assertThat(serve.tftp("pxelinux.cfg/01-" + firstMac(WEB02))).contains("DEFAULT install");
    }
  }

  // g: CSRF

  @Test
  void aFormPostWithoutItsCsrfTokenIsRefused() throws Exception {
    String menu = "pxelinux.cfg/01-" + firstMac(WEB02);
    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), inventory, null, List.of(OPERATOR));
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      logIn(chromium, OPERATOR, serve.url("/ui/hosts/" + WEB02));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("netboot-form")));
      String csrf = d.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content");
      String enabled =
          "enabled="
              + encode(
                  d.findElement(By.cssSelector("#netboot-form [name=enabled]"))
                      .getAttribute("value"));

      // the page's own form, its csrf field taken out; submit() skips console.js's confirm()
      Object removed =
          d.executeScript(
              "const f = document.getElementById('netboot-form');"
                  + " const c = f.querySelectorAll('input[name=csrf]');"
                  + " c.forEach(i => i.remove()); f.submit(); return c.length;");
      assertThat(removed).isEqualTo(1L);
      chromium
          .waiting()
          .until(
              dr ->
                  Long.valueOf(403)
                      .equals(
                          d.executeScript(
                              "const n = performance.getEntriesByType('navigation')[0];"
                                  + " return n ? n.responseStatus : null;")));
      chromium.screenshot("csrf-refused");
      assertThat(serve.tftp(menu)).contains("DEFAULT local");

      // the same session outside the browser: the cookie alone is not enough
      Cookie session = d.manage().getCookieNamed("kd_session");
      assertThat(session).as("the session cookie kd_session").isNotNull();
      assertThat(session.isHttpOnly()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      String cookie = "kd_session=" + session.getValue();
      assertThat(formPost(http, serve, "/ui/hosts/" + WEB02 + "/netboot", cookie, enabled))
          .isEqualTo(403);
      assertThat(netbootApi(http, serve, WEB02, null, "Cookie", cookie).statusCode())
          .isEqualTo(403);
      assertThat(serve.tftp(menu)).contains("DEFAULT local");
      // with the page's token the same post passes: the 403s were the token's absence
      assertThat(
              formPost(
                  http,
                  serve,
                  "/ui/hosts/" + WEB02 + "/netboot",
                  cookie,
                  enabled + "&csrf=" + encode(csrf)))
          .isBetween(200, 399);
      waitFor(
          "netboot on after the post with its token",
          () -> serve.tftp(menu).contains("DEFAULT install"));
    }
  }

  // h: lockout

  @Test
  void fiveWrongPasswordsLockTheAccountForTheConfiguredTime() throws Exception {
    try (ConsoleServe serve =
            ConsoleServe.start(
                dir.resolve("serve"),
                inventory,
                null,
                List.of(OPERATOR),
                "--login-lockout",
                LOCKOUT.toSeconds() + "s",
                "--login-lockout-after",
                "5");
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      User wrong = new User(OPERATOR.name(), OPERATOR.role(), "not-" + OPERATOR.password());
      Instant fifth = null;
      for (int i = 1; i <= 5; i++) {
        fifth = Instant.now();
        submitLogin(chromium, serve.url("/ui/login"), wrong);
        String error =
            chromium
                .waiting()
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")))
                .getText();
        if (i < 5) {
          assertThat(error).as("attempt %d", i).contains("wrong user or password");
        }
      }
      submitLogin(chromium, serve.url("/ui/login"), OPERATOR);
      String locked =
          chromium
              .waiting()
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")))
              .getText();
      assertThat(locked).contains("locked");
      assertThat(d.findElements(By.id("whoami"))).isEmpty();
      chromium.screenshot("login-locked");

      // after the lockout the right password works again, not before (the poll allows six times
      // the lockout, and tries every 2 s so that the login throttle of the address does not
      // answer instead)
      new FluentWait<>(chromium)
          .withTimeout(LOCKOUT.multipliedBy(6))
          .pollingEvery(Duration.ofSeconds(2))
          .withMessage(() -> "the lock to end; serve's log:\n" + serve.logText())
          .until(
              c -> {
                submitLogin(c, serve.url("/ui/login"), OPERATOR);
                c.waiting()
                    .until(
                        ExpectedConditions.or(
                            ExpectedConditions.presenceOfElementLocated(By.id("whoami")),
                            ExpectedConditions.presenceOfElementLocated(By.id("login-error"))));
                return !c.driver().findElements(By.id("whoami")).isEmpty();
              });
      assertThat(chromium.text(By.id("whoami"))).contains("olive");
      assertThat(Duration.between(fifth, Instant.now())).isGreaterThanOrEqualTo(LOCKOUT);
    }
  }

  // i: hostile content

  @Test
  void hostileVariablesAndFileContentAreShownAsTextAndCut() throws Exception {
    // The inventory takes neither a hostile host name (a DNS name or nothing: InventoryValidator)
    // nor a direction mark anywhere (the loader refuses control and format characters): the name
    // is checked where it can show, in the problems of an inventory that does not load, and
    // U+202E in a drifted file.
    String longValue = "L".repeat(60_000); // the inventory's own limit is 64 Ki characters a value
    String hostileVars =
        "    variables:\n"
            + "      role: frontend\n"
            + "      x-script: "
            + yamlQuoted(SCRIPT)
            + "\n      x-attribute: "
            + yamlQuoted(ATTRIBUTE)
            + "\n      x-long: "
            + longValue
            + "\n";
    String text = Files.readString(inventory);
    assertThat(text).contains("    variables:\n      role: frontend\n");
    Path hostile =
        Files.writeString(
            dir.resolve("hostile.yaml"),
            text.replace("    variables:\n      role: frontend\n", hostileVars));
    Path hostileRepo = dir.resolve("hostile.git");
    String tenMegabyteLine = "M".repeat(10 << 20);
    String hostileFile =
        SeededDrift.PACKAGED
            + SCRIPT
            + "\n"
            + ATTRIBUTE
            + "\n"
            + RLO
            + "evil\n"
            + tenMegabyteLine
            + "\n";
    String hostileName = "/etc/alpha/" + ATTRIBUTE + ".conf";
    SeededDrift.scan(
        dir.resolve("hostile-root"),
        hostileRepo,
        WEB01,
        Map.of(SeededDrift.CONF, hostileFile, hostileName, SCRIPT + "\n"));

    try (ConsoleServe serve =
            ConsoleServe.start(dir.resolve("serve"), hostile, hostileRepo, List.of(VIEWER, ADMIN));
        Chromium chromium = Chromium.start(dir)) {
      ChromeDriver d = chromium.driver();
      logIn(chromium, VIEWER, serve.url("/ui/hosts/" + WEB01));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("variables")));
      assertNothingRan(d);
      String variables = textOf(d, "variables");
      assertThat(variables).contains(SCRIPT, ATTRIBUTE);
      assertThat(variables.length()).as("the 60,000-character value cut").isLessThan(20_000);
      assertThat(textOf(d, "unowned")).contains(ATTRIBUTE + ".conf");
      chromium.screenshot("hostile-host");

      d.get(serve.url("/ui/hosts/" + WEB01 + "/file?path=" + encode(SeededDrift.CONF)));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("diff-packaged")));
      assertNothingRan(d);
      // a direction override is written out, so it cannot turn the text around it
      assertThat(textOf(d, "diff-packaged"))
          .contains(SCRIPT, ATTRIBUTE, "‹U+202E›evil")
          .doesNotContain(RLO);
      Object longest =
          d.executeScript(
              "return Math.max(...Array.from(document.querySelectorAll('td'),"
                  + " td => td.textContent.length));");
      assertThat(((Number) longest).longValue())
          .as("the longest cell: lines are cut at 2,000 characters")
          .isBetween(2_000L, 2_010L);
      assertThat(textOf(d, "diff-packaged")).contains("M".repeat(1_000) + "…");
      Object page = d.executeScript("return document.documentElement.outerHTML.length;");
      assertThat(((Number) page).longValue()).as("the page's size").isLessThan(2L << 20);
      chromium.screenshot("hostile-file-diff");

      // the variants page: the hostile path is text in its row, nothing ran, the page stays small
      d.get(serve.url("/ui/drift/variants?profile=web-rocky9"));
      chromium
          .waiting()
          .until(ExpectedConditions.presenceOfElementLocated(By.id("variants-web-rocky9")));
      assertNothingRan(d);
      assertThat(textOf(d, "variants-web-rocky9")).contains(hostileName, SeededDrift.CONF);
      assertThat(
              ((Number) d.executeScript("return document.documentElement.outerHTML.length;"))
                  .longValue())
          .isLessThan(2L << 20);

      // a hostile host name: refused by the validator, shown as text among the problems
      Files.writeString(
          hostile,
          Files.readString(hostile)
              .replace("- name: " + WEB02, "- name: " + yamlQuoted("w" + SCRIPT + ATTRIBUTE)));
      HttpResponse<String> reload =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(serve.url("/api/v1/reload")))
                      .timeout(Duration.ofSeconds(30))
                      .header("Authorization", "Bearer " + serve.apiToken("ada", "admin"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(reload.statusCode()).isEqualTo(422);
      assertThat(reload.body()).as("the reload names the bad host").contains("malformed host name");
      d.get(serve.url("/ui/problems"));
      chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("problems")));
      assertNothingRan(d);
      assertThat(textOf(d, "problems")).contains(SCRIPT);
      chromium.screenshot("hostile-problems");
    }
  }

  // helpers

  /** No dialog opened, no element made from the hostile text. */
  private static void assertNothingRan(ChromeDriver d) {
    assertThatThrownBy(() -> d.switchTo().alert())
        .as("a dialog opened: the page ran the hostile text")
        .isInstanceOf(NoAlertPresentException.class);
    assertThat(d.findElements(By.cssSelector("img[src=x]"))).isEmpty();
    assertThat(
            d.executeScript(
                "return Array.from(document.scripts).filter(s => !s.src"
                    + " || s.textContent.includes('alert')).length;"))
        .as("inline scripts")
        .isEqualTo(0L);
  }

  /** The text the DOM holds, as it holds it (getText() would trim and re-space it). */
  private static String textOf(ChromeDriver d, String id) {
    return (String)
        d.executeScript("return document.getElementById(arguments[0]).textContent;", id);
  }

  /** Opens the login page at {@code url}'s redirect and logs in; waits for the page after. */
  private static void logIn(Chromium chromium, User user, String url) {
    chromium.driver().get(url);
    chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
    fillAndSubmit(chromium, user);
    chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
  }

  /** On the login page the browser shows now, logs in. */
  private static void logIn(Chromium chromium, User user) {
    fillAndSubmit(chromium, user);
    chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
  }

  private static void submitLogin(Chromium chromium, String loginUrl, User user) {
    chromium.driver().get(loginUrl);
    chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
    fillAndSubmit(chromium, user);
  }

  private static void fillAndSubmit(Chromium chromium, User user) {
    WebDriver d = chromium.driver();
    WebElement form = d.findElement(By.id("login"));
    WebElement name = form.findElement(By.name("user"));
    name.clear();
    name.sendKeys(user.name());
    WebElement password = form.findElement(By.name("password"));
    password.clear();
    password.sendKeys(user.password());
    WebElement submit = d.findElement(By.id("login-submit"));
    submit.click();
    chromium.waitGone(submit);
  }

  /**
   * Follows the nav link {@code link}, waits for {@code shows}, photographs the page as {@code
   * screenshot} unless it is null.
   */
  private static void visit(Chromium chromium, String link, By shows, String screenshot)
      throws Exception {
    WebElement page = chromium.driver().findElement(By.tagName("html"));
    chromium.driver().findElement(By.id(link)).click();
    chromium.waitGone(page);
    chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(shows));
    if (screenshot != null) {
      chromium.screenshot(screenshot);
    }
  }

  private static HttpResponse<String> netbootApi(
      HttpClient http, ConsoleServe serve, String host, String authorization, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(serve.url("/api/v1/hosts/" + host + "/netboot")))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":true}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int formPost(
      HttpClient http, ConsoleServe serve, String path, String cookie, String body)
      throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(serve.url(path)))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** {@code host}'s first MAC as pxelinux names its menu: 01-aa-bb-cc-dd-ee-ff. */
  private static String firstMac(String host) throws Exception {
    for (JsonNode h :
        new ObjectMapper(new YAMLFactory()).readTree(inventory.toFile()).get("hosts")) {
      if (h.get("name").asText().equals(host)) {
        String hex = h.get("interfaces").get(0).get("mac").asText().replaceAll("[^0-9A-Fa-f]", "");
        return hex.toLowerCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1-");
      }
    }
    throw new AssertionError(host + " is not in " + inventory);
  }

  /** A YAML double-quoted scalar. */
  private static String yamlQuoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** An action that may throw, repeated until it holds. */
  private interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} every 200 ms for up to 30 s. */
  private static void waitFor(String what, Check check) {
    new FluentWait<>(check)
        .withTimeout(Chromium.PATIENCE)
        .pollingEvery(Duration.ofMillis(200))
        .withMessage(what)
        .until(
            c -> {
              try {
                return c.holds();
              } catch (Exception e) {
                throw new IllegalStateException(what + ": " + e.getMessage(), e);
              }
            });
  }
}
