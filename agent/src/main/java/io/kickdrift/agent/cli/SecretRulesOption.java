package io.kickdrift.agent.cli;

import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --secret-rules FILE}, for every command that looks for secret values (scan, fleet scan,
 * repo audit): the built-in rules plus a user's rule file (docs/secrets.md). Without the option,
 * {@value #SYSTEM_FILE} is read when it exists, so one file serves a host's timers and hand runs
 * alike; a named file must exist.
 */
public final class SecretRulesOption {
  /** The rule file read when no {@code --secret-rules} is given, if it exists. */
  public static final String SYSTEM_FILE = "/etc/kickdrift/secret-rules";

  @Option(
      names = "--secret-rules",
      paramLabel = "FILE",
      description =
          "More secret-value rules and allowed values (docs/secrets.md); default "
              + SYSTEM_FILE
              + " when it exists.")
  Path given;

  /** Where the system rule file is looked for; tests point it elsewhere. */
  Path systemFile = Path.of(SYSTEM_FILE);

  private InlineSecrets built;

  /** The rule file in use: the option's, else the system file when it exists, else none. */
  public Path file() {
    if (given != null) {
      return given;
    }
    return Files.isRegularFile(systemFile) ? systemFile : null;
  }

  /**
   * The detector, built once: the scan and whatever commits its findings (redaction) must use the
   * same instance, so they agree on what a secret is.
   *
   * @throws IOException when the rule file cannot be read or a line of it is not a rule (the
   *     message names file:line)
   */
  public synchronized InlineSecrets inlineSecrets() throws IOException {
    if (built == null) {
      Path f = file();
      if (f != null && !Files.isRegularFile(f)) {
        throw new IOException(f + ": secret rule file not found");
      }
      built = f == null ? InlineSecrets.builtIn() : InlineSecrets.withRules(f);
    }
    return built;
  }
}
