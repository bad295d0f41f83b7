package io.kickdrift.agent.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kickdrift.agent.scan.Finding;
import java.util.List;

/**
 * What the manifest says of one path of a host; docs/config-repo.md has the schema. Only what is
 * stable between scans of an unchanged file is kept (no mtime), so a rescan rewrites the same
 * bytes.
 *
 * @param status modified, unowned, missing or unreadable
 * @param pkg owning package, {@code null} for unowned files
 * @param packagedDigest the digest the package database records, {@code algorithm:hex}
 * @param digest the digest of the file as found
 * @param type regular, symlink, fifo, directory, …
 * @param mode permission bits in octal, {@code "0644"}
 * @param secret {@code none}; {@code placeholder} when the file was replaced by a placeholder;
 *     {@code encrypted} when it is committed as an OpenPGP message; {@code redacted} when secret
 *     values inside it were replaced by placeholders
 * @param secretRule the secret rule that matched, {@code null} if none
 * @param redactions for {@code redacted}: each secret value replaced by a placeholder in the stored
 *     file (line of the stored file, key, rule, placeholder; never the value)
 * @param recipient for {@code encrypted}: the fingerprint of the key it is encrypted to; for {@code
 *     redacted} with {@code values}: the key the values are encrypted to
 * @param recipientKeyId for {@code encrypted} (or {@code values}): the id of the (sub)key that
 *     encrypted it
 * @param values for {@code redacted}, with {@code --encrypt-to}: an armored OpenPGP message of the
 *     redacted values, one line {@code PLACEHOLDER BASE64-VALUE} each
 * @param stored whether the file's content (or link) is in {@code files/}
 * @param note why something was not stored, or the scanner's explanation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "status",
  "package",
  "version",
  "packagedDigest",
  "digest",
  "type",
  "mode",
  "user",
  "group",
  "linkTarget",
  "secret",
  "secretRule",
  "redactions",
  "recipient",
  "recipientKeyId",
  "values",
  "stored",
  "note"
})
record ManifestEntry(
    String status,
    @JsonProperty("package") String pkg,
    String version,
    String packagedDigest,
    String digest,
    String type,
    String mode,
    String user,
    String group,
    String linkTarget,
    String secret,
    String secretRule,
    String recipient,
    String recipientKeyId,
    boolean stored,
    String note,
    List<RedactedValue> redactions,
    String values) {

  static final String SECRET_NONE = "none";
  static final String SECRET_REDACTED = "redacted";

  ManifestEntry {
    redactions = redactions == null || redactions.isEmpty() ? null : List.copyOf(redactions);
  }

  /**
   * One secret value of a {@code redacted} file: where its placeholder stands in the stored file,
   * what it belongs to, and the placeholder. Never the value.
   *
   * @param line 1-based line of the stored (redacted) file the placeholder is on
   * @param key the key the value belongs to, {@code null} for a value found by its shape
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"line", "key", "rule", "placeholder"})
  record RedactedValue(int line, String key, String rule, String placeholder) {}

  static final String SECRET_PLACEHOLDER = "placeholder";
  static final String SECRET_ENCRYPTED = "encrypted";

  /**
   * The entry for a finding.
   *
   * @param digest the digest of what was found (of what is committed, where it was read)
   * @param secret {@code null} for {@link #SECRET_NONE}
   */
  static ManifestEntry of(
      Finding f, String status, String digest, String secret, boolean stored, String note) {
    Finding.Observed a = f.actual();
    Finding.Observed e = f.expected();
    return new ManifestEntry(
        status,
        f.pkg(),
        f.version(),
        e == null || e.digest() == null ? null : e.digest().toString(),
        digest,
        a == null ? null : a.type(),
        a == null ? null : a.mode(),
        a == null ? null : a.user(),
        a == null ? null : a.group(),
        a == null ? null : a.linkTarget(),
        secret == null ? SECRET_NONE : secret,
        f.secret(),
        null,
        null,
        stored,
        note,
        null,
        null);
  }

  /** The entry of a secret committed encrypted to {@code to}; {@code digest} is the plaintext's. */
  static ManifestEntry encrypted(
      Finding f, String status, String digest, SecretCipher.Recipient to, String note) {
    ManifestEntry e = of(f, status, digest, SECRET_ENCRYPTED, true, note);
    return new ManifestEntry(
        e.status,
        e.pkg,
        e.version,
        e.packagedDigest,
        e.digest,
        e.type,
        e.mode,
        e.user,
        e.group,
        e.linkTarget,
        e.secret,
        e.secretRule,
        to.fingerprint(),
        to.keyId(),
        e.stored,
        e.note,
        null,
        null);
  }

  /** Whether this entry is a secret encrypted to {@code to} of content with {@code digest}. */
  boolean isEncryptedAs(String digest, SecretCipher.Recipient to) {
    return SECRET_ENCRYPTED.equals(secret)
        && stored
        && digest != null
        && digest.equals(this.digest)
        && to.fingerprint().equals(recipient)
        && to.keyId().equals(recipientKeyId);
  }

  ManifestEntry withStatus(String s, String n) {
    return new ManifestEntry(
        s,
        pkg,
        version,
        packagedDigest,
        digest,
        type,
        mode,
        user,
        group,
        linkTarget,
        secret,
        secretRule,
        recipient,
        recipientKeyId,
        false,
        n,
        redactions,
        values);
  }

  /**
   * The entry of a file committed with its secret values replaced by placeholders; {@code digest}
   * is the committed (redacted) content's.
   *
   * @param to the key {@code values} is encrypted to; {@code null} with {@code values}: none kept
   */
  static ManifestEntry redacted(
      Finding f,
      String status,
      String digest,
      List<RedactedValue> redactions,
      SecretCipher.Recipient to,
      String values,
      String note) {
    ManifestEntry e = of(f, status, digest, SECRET_REDACTED, true, note);
    return new ManifestEntry(
        e.status,
        e.pkg,
        e.version,
        e.packagedDigest,
        e.digest,
        e.type,
        e.mode,
        e.user,
        e.group,
        e.linkTarget,
        e.secret,
        null,
        to == null ? null : to.fingerprint(),
        to == null ? null : to.keyId(),
        e.stored,
        e.note,
        redactions,
        values);
  }

  /**
   * Whether this entry holds {@code values} for exactly these placeholders, encrypted to {@code
   * to}: then the message already committed serves again (encryption differs every time).
   */
  boolean hasValuesFor(java.util.Set<String> placeholders, SecretCipher.Recipient to) {
    return SECRET_REDACTED.equals(secret)
        && values != null
        && redactions != null
        && to.fingerprint().equals(recipient)
        && to.keyId().equals(recipientKeyId)
        && placeholders.equals(
            redactions.stream()
                .map(RedactedValue::placeholder)
                .collect(java.util.stream.Collectors.toSet()));
  }
}
