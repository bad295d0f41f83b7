package io.kickdrift.agent.cli;

import io.kickdrift.agent.repo.Restore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --decrypt-with KEYFILE} and {@code --passphrase-file FILE}: how a command opens secrets
 * committed with {@code --encrypt-to} (restore; the server's render and serve for desired files).
 */
public final class DecryptOptions {
  // help texts: each command's .properties (keys decrypt-with, passphrase-file)
  @Option(names = "--decrypt-with", paramLabel = "KEYFILE")
  Path decryptWith;

  @Option(names = "--passphrase-file", paramLabel = "FILE")
  Path passphraseFile;

  /**
   * What opens encrypted secrets, or {@code null} without {@code --decrypt-with}.
   *
   * @throws IllegalArgumentException for a passphrase without a key
   */
  public Restore.Decryptor decryptor() throws IOException {
    if (passphraseFile != null && decryptWith == null) {
      throw new IllegalArgumentException("--passphrase-file goes with --decrypt-with");
    }
    return decryptWith == null ? null : Restore.Decryptor.withKey(decryptWith, passphrase());
  }

  private char[] passphrase() throws IOException {
    if (passphraseFile == null) {
      return new char[0];
    }
    String text = Files.readString(passphraseFile);
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).toCharArray();
  }
}
