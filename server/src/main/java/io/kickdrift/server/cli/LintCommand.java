package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.inventory.EffectiveProfile;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.inventory.Profile;
import io.kickdrift.server.lint.DeclaredSections;
import io.kickdrift.server.lint.KickstartLint;
import io.kickdrift.server.lint.LintProblem;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lint}: what Anaconda would reject in kickstart files, before a machine boots. Its help
 * text is in {@code LintCommand.properties}.
 */
@Command(name = "lint", mixinStandardHelpOptions = true)
final class LintCommand implements Callable<Integer> {
  static final int EXIT_CLEAN = 0;
  static final int EXIT_ERRORS = 1;
  static final int EXIT_UNREADABLE = 2;

  /** The header snippets/header.ftl writes: which host, rendered from which inventory. */
  private static final Pattern RENDERED =
      Pattern.compile("# Kickstart for (.*), rendered by kickdrift from .*");

  /** How many leading lines may hold that header. */
  private static final int HEADER_LINES = 10;

  @Parameters(arity = "1..*", paramLabel = "FILE", descriptionKey = "file")
  List<Path> files;

  /** The templates the kickstarts were rendered with: the sections they start are declared. */
  @Mixin TemplatesOption templates = new TemplatesOption();

  @Option(names = "--inventory", paramLabel = "FILE")
  Path inventory;

  @Mixin JsonOption json = new JsonOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Templates loaded;
    Inventory sites = null;
    DeclaredSections everyTemplate = null;
    try {
      loaded = new Templates(templates.dir());
      if (inventory != null) {
        sites = InventoryLoader.load(inventory);
      } else {
        everyTemplate = everyTemplate(loaded);
      }
    } catch (InventoryException | RenderException | IOException e) {
      Failed.report("lint", e, err::println);
      err.flush();
      return EXIT_UNREADABLE;
    }
    TreeRenderer renderer = new TreeRenderer(loaded);
    int errors = 0;
    int warnings = 0;
    int unreadable = 0;
    List<Linted> linted = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        // Lenient decoding: a stray Latin-1 byte in a comment is not worth refusing the file.
        text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("kickdrift lint: cannot read " + file + ": " + ErrorText.reason(e));
        linted.add(new Linted(file.toString(), "cannot read: " + ErrorText.reason(e), List.of()));
        unreadable++;
        continue;
      }
      List<LintProblem> problems = new ArrayList<>();
      DeclaredSections declared = null;
      if (sites != null) {
        try {
          declared = ofHost(sites, renderer, file, text);
        } catch (RenderException e) {
          problems.add(
              new LintProblem(file.toString(), 1, LintProblem.Severity.ERROR, e.getMessage()));
        }
      } else if (templates.dir() != null || renderedHost(text).isPresent()) {
        declared = everyTemplate;
      }
      problems.addAll(KickstartLint.lint(file.toString(), text, declared));
      for (LintProblem p : problems) {
        if (!json.on()) {
          err.println(p);
        }
        if (p.severity() == LintProblem.Severity.ERROR) {
          errors++;
        } else {
          warnings++;
        }
      }
      linted.add(new Linted(file.toString(), null, problems.stream().map(Problem::of).toList()));
    }
    if (json.on()) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(JsonOption.text(new Report(linted, errors, warnings, unreadable)));
      out.flush();
    } else {
      err.println(
          files.size()
              + (files.size() == 1 ? " file: " : " files: ")
              + count(errors, "error")
              + ", "
              + count(warnings, "warning")
              + (unreadable > 0 ? ", some files could not be read" : ""));
    }
    err.flush();
    return unreadable > 0 ? EXIT_UNREADABLE : errors > 0 ? EXIT_ERRORS : EXIT_CLEAN;
  }

  /** What {@code --json} prints: every file's problems, then the summary line's counts. */
  record Report(List<Linted> files, int errors, int warnings, int unreadable) {}

  /** One file: why it could not be read ({@code null} when it could), else its problems. */
  record Linted(String file, String error, List<Problem> problems) {}

  /** One problem line, {@code FILE:LINE: SEVERITY: MESSAGE}, without the file. */
  record Problem(int line, String severity, String message) {
    static Problem of(LintProblem p) {
      return new Problem(p.line(), p.severity().name().toLowerCase(Locale.ROOT), p.message());
    }
  }

  /**
   * The sections the built-in kickstart templates start, and with {@code --templates} every
   * template in that directory (which replace built-in ones of the same name).
   */
  private DeclaredSections everyTemplate(Templates loaded) throws IOException {
    List<String> names = new ArrayList<>(TreeRenderer.BUILT_IN_KICKSTARTS);
    Path dir = templates.dir();
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.getFileName().toString().endsWith(".ftl"))
            .map(p -> dir.relativize(p).toString().replace('\\', '/'))
            .sorted()
            .forEach(names::add);
      }
    }
    return DeclaredSections.of(names, loaded::source)
        .as(
            dir == null
                ? "no built-in kickstart template"
                : "no built-in kickstart template and no template in " + dir);
  }

  /**
   * The sections the templates of the kickstart's own profile start: the host comes from the header
   * kickdrift writes, else from the file name ({@code HOST.ks}).
   */
  private DeclaredSections ofHost(Inventory sites, TreeRenderer renderer, Path file, String text)
      throws RenderException {
    String name =
        renderedHost(text).orElse(file.getFileName().toString().replaceFirst("\\.ks$", ""));
    Host host =
        sites
            .host(name)
            .orElseThrow(
                () ->
                    new RenderException(
                        "the kickstart is for host "
                            + LogText.of(name)
                            + ", which "
                            + inventory
                            + " does not list; expected a kickstart rendered from it"));
    Profile profile = sites.profile(host.profile()).orElseThrow();
    EffectiveProfile effective = sites.effective(profile);
    String template = TreeRenderer.kickstartTemplate(effective, host.name());
    return renderer
        .declaredSections(template)
        .as("no template of profile " + LogText.of(profile.name()));
  }

  /** The host named in the header kickdrift writes, if the kickstart has one. */
  private static Optional<String> renderedHost(String text) {
    String[] lines = text.split("\n", HEADER_LINES + 1);
    for (int i = 0; i < Math.min(lines.length, HEADER_LINES); i++) {
      Matcher m = RENDERED.matcher(lines[i].strip());
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
