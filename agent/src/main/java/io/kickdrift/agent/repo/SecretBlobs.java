package io.kickdrift.agent.repo;

import io.kickdrift.agent.repo.RepoTree.Blob;
import io.kickdrift.agent.repo.StoredFindings.Stored;
import io.kickdrift.agent.scan.Finding;
import java.io.IOException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * Secrets as the repository keeps them (docs/config-repo.md, "Secrets"): a placeholder that names
 * the rule and the digest, or an OpenPGP message to one key. Never the content in clear.
 */
final class SecretBlobs {
  private SecretBlobs() {}

  /** A placeholder in place of the secret; its content is never read. */
  static Stored placeholder(Finding f, String status, String digest, ObjectInserter ins)
      throws IOException {
    byte[] text = Placeholder.text(f.path(), f.secret(), digest);
    Blob b = new Blob(FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, text));
    return new Stored(
        ManifestEntry.of(f, status, digest, ManifestEntry.SECRET_PLACEHOLDER, true, f.note()),
        b,
        null);
  }

  /**
   * A secret as an OpenPGP message. Encryption differs every time, so an unchanged secret (same
   * plaintext digest, same key) keeps the blob already committed: a rescan makes no commit.
   */
  static Stored encrypted(
      Finding f,
      String status,
      String digest,
      byte[] content,
      Blob previous,
      ManifestEntry previousEntry,
      SecretCipher.Recipient to,
      ObjectInserter ins)
      throws IOException {
    ManifestEntry entry = ManifestEntry.encrypted(f, status, digest, to, f.note());
    if (previous != null
        && previous.mode().equals(FileMode.REGULAR_FILE)
        && previousEntry != null
        && previousEntry.isEncryptedAs(digest, to)) {
      return new Stored(entry, previous, null);
    }
    byte[] message = SecretCipher.encrypt(content, to);
    java.util.Arrays.fill(content, (byte) 0);
    return new Stored(
        entry, new Blob(FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, message)), null);
  }

  /**
   * A file whose secret values were replaced by placeholders: the redacted content is committed in
   * clear, with the values in the manifest as one OpenPGP message when {@code to} is given. An
   * unchanged set of values (the same placeholders, so the same values under the same digest key)
   * to the same key keeps the message already committed: a rescan makes no commit.
   *
   * @param digest the digest of the redacted content
   */
  static Stored redacted(
      Finding f,
      String status,
      String digest,
      RedactedFile r,
      FileMode mode,
      ManifestEntry previousEntry,
      SecretCipher.Recipient to,
      ObjectInserter ins)
      throws IOException {
    String values = null;
    try {
      if (to != null) {
        if (previousEntry != null && previousEntry.hasValuesFor(r.values().keySet(), to)) {
          values = previousEntry.values();
        } else {
          byte[] text = RedactedFile.valuesText(r.values());
          try {
            values =
                new String(
                    SecretCipher.encrypt(text, to), java.nio.charset.StandardCharsets.US_ASCII);
          } finally {
            java.util.Arrays.fill(text, (byte) 0);
          }
        }
      }
    } finally {
      r.wipe();
    }
    ManifestEntry entry =
        ManifestEntry.redacted(
            f, status, digest, r.redactions(), values == null ? null : to, values, f.note());
    Blob b = new Blob(mode, ins.insert(Constants.OBJ_BLOB, r.content()));
    return new Stored(entry, b, r.content());
  }
}
