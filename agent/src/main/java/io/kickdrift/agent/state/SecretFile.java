package io.kickdrift.agent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret kickdrift makes for itself (the callback key, the admin token, the secret digest key):
 * random bytes as hex in a file of mode 0600, in a directory of mode 0700, made on first use and
 * read after.
 */
public final class SecretFile {
  private SecretFile() {}

  /** The secret's bytes; {@code bytes} random ones are written first when the file is absent. */
  public static byte[] readOrCreate(Path file, int bytes) throws IOException {
    if (!Files.exists(file)) {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      byte[] fresh = new byte[bytes];
      new SecureRandom().nextBytes(fresh);
      byte[] hex = (HexFormat.of().formatHex(fresh) + "\n").getBytes(StandardCharsets.US_ASCII);
      try {
        // Whole or absent even after a crash: a half-written key would be a short one.
        AtomicWrite.to(file).mode(0600).createNew(o -> o.write(hex));
      } catch (FileAlreadyExistsException raced) {
        // another process made it first; read theirs
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": not a kickdrift secret; expected hex digits");
    }
  }
}
