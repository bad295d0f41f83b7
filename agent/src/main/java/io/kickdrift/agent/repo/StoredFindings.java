package io.kickdrift.agent.repo;

import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.repo.RepoTree.Blob;
import io.kickdrift.agent.scan.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * What each finding of a scan becomes in the repository (docs/config-repo.md, "Layout"): its
 * manifest entry, and the blob stored under {@code files/} if any. Secrets go to {@link
 * SecretBlobs}.
 */
final class StoredFindings {
  /** What one finding becomes: a manifest entry, and the blob committed for it if any. */
  record Stored(ManifestEntry entry, Blob blob, byte[] content) {}

  private final HostFiles hostFiles;
  private final SecretCipher.Recipient encryptTo;
  private final ConfigRepo.Redaction redaction;
  private final ObjectInserter ins;
  private final List<String> warnings;

  /**
   * @param encryptTo secrets are stored encrypted to this key; {@code null}: placeholders
   * @param redaction how secret values inside the files stored in clear are replaced
   * @param warnings where files that cannot be stored as they are get named
   */
  StoredFindings(
      HostFiles hostFiles,
      SecretCipher.Recipient encryptTo,
      ConfigRepo.Redaction redaction,
      ObjectInserter ins,
      List<String> warnings) {
    this.hostFiles = hostFiles;
    this.encryptTo = encryptTo;
    this.redaction = redaction;
    this.ins = ins;
    this.warnings = warnings;
  }

  /**
   * @param previous the blob committed for this path before, {@code null} if none
   * @param previousEntry the previous manifest's entry for this path, {@code null} if none
   */
  Stored store(Finding f, Blob previous, ManifestEntry previousEntry) throws IOException {
    String actualType = f.actual() == null ? null : f.actual().type();
    switch (f.status()) {
      case MISSING:
        return new Stored(ManifestEntry.of(f, "missing", null, null, false, null), null, null);
      case UNREADABLE:
        // What was committed before stays: not being able to read a file says nothing new of it.
        return new Stored(
            ManifestEntry.of(f, "unreadable", digestOf(f), null, previous != null, f.note()),
            previous,
            null);
      default:
        break;
    }
    String status = f.status().name().toLowerCase(Locale.ROOT);
    if (f.secret() != null && "regular".equals(actualType) && encryptTo == null) {
      return SecretBlobs.placeholder(f, status, digestOf(f), ins);
    }
    try {
      HostFiles.Entry a = hostFiles.lstat(f.path());
      if (a == null) {
        throw new NoSuchFileException(f.path());
      }
      if (a.kind() == HostFiles.Kind.SYMLINK) {
        byte[] target = a.linkTarget().getBytes(StandardCharsets.UTF_8);
        Blob b = new Blob(FileMode.SYMLINK, ins.insert(Constants.OBJ_BLOB, target));
        return new Stored(ManifestEntry.of(f, status, null, null, true, f.note()), b, null);
      }
      if (a.kind() != HostFiles.Kind.REGULAR) {
        return new Stored(
            ManifestEntry.of(f, status, null, null, false, "not stored: not a regular file"),
            null,
            null);
      }
      if (a.size() > ConfigRepo.MAX_FILE_SIZE) {
        return new Stored(
            ManifestEntry.of(f, status, digestOf(f), null, false, "not stored: larger than 16 MiB"),
            null,
            null);
      }
      byte[] content = hostFiles.read(f.path());
      DigestAlgorithm alg =
          f.actual() != null && f.actual().digest() != null
              ? f.actual().digest().algorithm()
              : DigestAlgorithm.SHA256;
      if (f.secret() != null) {
        // The digest of the plaintext, should the file have changed since it was hashed.
        String digest = ConfigRepo.digest(alg, content).toString();
        return SecretBlobs.encrypted(
            f, status, digest, content, previous, previousEntry, encryptTo, ins);
      }
      // The one place every file committed in clear passes, agent and fleet scans alike: the
      // secret values inside it are replaced before any byte of it becomes an object.
      RedactedFile redacted = RedactedFile.of(f.path(), content, redaction);
      // The digest of what is committed, should the file have changed since it was hashed.
      String digest = ConfigRepo.digest(alg, redacted.content()).toString();
      if (!redacted.redactions().isEmpty()) {
        return SecretBlobs.redacted(
            f, status, digest, redacted, fileMode(f), previousEntry, encryptTo, ins);
      }
      Blob b = new Blob(fileMode(f), ins.insert(Constants.OBJ_BLOB, content));
      return new Stored(ManifestEntry.of(f, status, digest, null, true, f.note()), b, content);
    } catch (NoSuchFileException e) {
      return new Stored(
          ManifestEntry.of(f, "missing", null, null, false, "gone after the scan"), null, null);
    } catch (IOException e) {
      warnings.add(f.path() + ": cannot read to commit: " + e.getMessage());
      return new Stored(
          ManifestEntry.of(f, "unreadable", digestOf(f), null, previous != null, e.toString()),
          previous,
          null);
    }
  }

  private static FileMode fileMode(Finding f) {
    String mode = f.actual() == null ? null : f.actual().mode();
    boolean exec = mode != null && (Integer.parseInt(mode, 8) & 0100) != 0;
    return exec ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
  }

  private static String digestOf(Finding f) {
    return f.actual() == null || f.actual().digest() == null
        ? null
        : f.actual().digest().toString();
  }
}
