package io.kickdrift.agent.cli;

import io.kickdrift.agent.repo.SecretCipher;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --author-name} and {@code --encrypt-to}: how a scan's findings are committed. */
public final class CommitOptions {
  @Option(names = "--author-name", paramLabel = "NAME", description = "Commit author name.")
  String authorName = "kickdrift";

  @Option(
      names = "--encrypt-to",
      paramLabel = "KEYFILE",
      description =
          "Commit secrets encrypted to this OpenPGP public key (gpg --export, armored or binary)"
              + " instead of placeholders; over SSH their content is then fetched, never written"
              + " to disk on this side.")
  Path encryptTo;

  public String authorName() {
    return authorName;
  }

  /** Whether {@code --encrypt-to} was given. */
  public boolean encrypts() {
    return encryptTo != null;
  }

  /** The key of {@code --encrypt-to}, read now so that a bad key stops a scan before it starts. */
  public SecretCipher.Recipient recipient() throws IOException {
    return encryptTo == null ? null : SecretCipher.recipient(encryptTo);
  }
}
