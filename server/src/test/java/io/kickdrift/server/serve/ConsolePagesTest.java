package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.render.Templates;
import io.kickdrift.server.web.Pages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's templates with hostile values: escaped, cut, invisibles written out; and no page
 * carries an inline script, style or event handler (the Content-Security-Policy would block them,
 * and their absence is what lets it be that strict).
 */
class ConsolePagesTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String BREAKER = "\"'><img src=x onerror=alert(1)>";
  private static final String RLO = "evil\u202Etxt.exe";

  private final Pages pages = new Pages(new Templates(null));

  ConsolePagesTest() throws Exception {}

  private static Map<String, Object> base() {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put(
        "me",
        Map.of(
            "user", SCRIPT, "role", "viewer", "operator", false, "admin", false, "session", true));
    model.put("csrf", BREAKER);
    model.put("nav", "hosts");
    return model;
  }

  @SuppressWarnings("unchecked")
  private String render(String page, Map<String, Object> model) throws Exception {
    return pages.render(page, (Map<String, Object>) ConsoleRoutes.shown(model));
  }

  @Test
  void hostileValuesAreEscapedCutAndMadeVisible() throws Exception {
    Map<String, Object> model = base();
    String huge = "A".repeat(10 * 1024 * 1024);
    model.put("host", SCRIPT);
    model.put("profile", BREAKER);
    model.put("macs", List.of(RLO));
    model.put("variables", List.of(Map.of("key", BREAKER, "value", huge)));
    model.put("kickstart", SCRIPT);
    model.put("menu", RLO);
    model.put(
        "live",
        Map.of(
            "state",
            BREAKER,
            "netboot",
            "off",
            "installed",
            "",
            "timeline",
            List.of(Map.of("at", "t", "kind", SCRIPT, "detail", RLO, "host", "h"))));
    model.put("drift", Map.of("none", SCRIPT));
    String html = render("host", model);
    assertThat(html)
        .doesNotContain(SCRIPT)
        .doesNotContain("<img")
        .doesNotContain("\u202E")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;")
        .contains("evil‹U+202E›txt.exe")
        .contains("A".repeat(2000) + "…")
        .doesNotContain("A".repeat(2001));
    assertThat(html.length()).isLessThan(20_000);
    // a viewer gets no netboot form
    assertThat(html).doesNotContain("netboot-form");
  }

  @Test
  void theLoginPageEscapesWhereItSendsYouBack() throws Exception {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("csrf", "t");
    model.put("next", BREAKER);
    model.put("error", SCRIPT);
    model.put("plain", false);
    String html = render("login", model);
    assertThat(html).doesNotContain("<img").doesNotContain(SCRIPT).contains("id=\"login-error\"");
  }

  @Test
  void nextIsAConsolePageOrTheOverview() {
    assertThat(ConsoleRoutes.local("/ui/hosts?q=a")).isEqualTo("/ui/hosts?q=a");
    for (String away :
        new String[] {
          null,
          "",
          "https://evil.example/",
          "//evil.example/ui/",
          "/ui/\\evil",
          "/api/v1/hosts",
          "/ui/ x",
          "/ui/\r\nSet-Cookie: a=b"
        }) {
      assertThat(ConsoleRoutes.local(away)).as(String.valueOf(away)).isEqualTo("/ui/");
    }
  }

  @Test
  void noTemplateHasAnInlineScriptStyleOrHandler() throws Exception {
    Pattern inline =
        Pattern.compile(
            "<script(?![^>]*\\bsrc=)[^>]*>|\\sstyle\\s*=|\\son[a-z]+\\s*=|<style|javascript:",
            Pattern.CASE_INSENSITIVE);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("..", "templates", "web"))) {
      files = walk.filter(p -> p.toString().endsWith(".ftlh")).toList();
    }
    assertThat(files).hasSizeGreaterThan(8);
    for (Path f : files) {
      assertThat(inline.matcher(Files.readString(f)).find()).as(f.toString()).isFalse();
    }
  }
}
