package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.SecretRulesOption;
import io.kickdrift.agent.repo.RepoAudit;
import io.kickdrift.agent.scan.GlobRules;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code repo audit}: where a config repository's whole history holds a secret in clear. Its help
 * text is in {@code RepoAuditCommand.properties}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true)
final class RepoAuditCommand implements Callable<Integer> {
  static final int EXIT_CLEAN = 0;
  static final int EXIT_SECRETS = 1;
  static final int EXIT_ERROR = 2;

  @Option(names = "--repo", paramLabel = "DIR", required = true)
  Path repo;

  @Mixin SecretRulesOption secretRules = new SecretRulesOption();

  @Mixin JsonOption json = new JsonOption();

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    RepoAudit.Result r;
    try {
      r =
          RepoAudit.run(
              repo, secretRules.inlineSecrets(), GlobRules.builtIn("default-secrets.txt"));
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift repo audit: " + ErrorText.of(e));
      return EXIT_ERROR;
    }
    r.skipped().forEach(s -> err.println("warning: " + s));
    if (json.on()) {
      out.println(JsonOption.text(r));
    } else {
      out.print(text(r));
    }
    out.flush();
    return r.hits().isEmpty() ? EXIT_CLEAN : EXIT_SECRETS;
  }

  /** One line a hit: first commit, path:line, rule and key, how many commits; never the value. */
  static String text(RepoAudit.Result r) {
    StringBuilder b = new StringBuilder();
    for (RepoAudit.Hit h : r.hits()) {
      b.append(h.commit(), 0, 12)
          .append(' ')
          .append(h.path())
          .append(h.line() == null ? "" : ":" + h.line())
          .append("  ")
          .append(h.line() == null ? "whole file secret by path rule " + h.rule() : h.rule())
          .append(h.key() == null ? "" : " (key " + h.key() + ")")
          .append("  [in ")
          .append(h.commits())
          .append(h.commits() == 1 ? " commit]" : " commits]")
          .append('\n');
    }
    b.append(r.repo())
        .append(": ")
        .append(r.commits())
        .append(" commits, ")
        .append(r.files())
        .append(" file versions searched: ")
        .append(
            r.hits().isEmpty()
                ? "no secret in clear"
                : r.hits().size() + " secret" + (r.hits().size() == 1 ? "" : "s") + " in clear")
        .append('\n');
    return b.toString();
  }
}
