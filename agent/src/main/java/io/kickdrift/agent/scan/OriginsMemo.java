package io.kickdrift.agent.scan;

import io.kickdrift.agent.state.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Origins} learnt from every package's {@code info/*.md5sums} and {@code
 * info/*.postinst} (which packaged file an unowned file is a copy of, which postinst makes an
 * enablement link), kept between scans under the package database's fingerprint. Reading those
 * files is most of a config scan's classification time (some 10 MB for 800 packages); their answers
 * cannot change while the database does not. A memo of another fingerprint, or one that cannot be
 * read, is empty; one that cannot be written is a warning.
 *
 * <p>Example: {@code OriginsMemo.load(state.resolve("origins-1a2b"), fingerprint)}.
 */
public final class OriginsMemo {
  private static final int MAGIC = 0x4b444f31; // "KDO1"

  /** A memo that keeps nothing: every answer is looked up again. */
  static final OriginsMemo NONE = new OriginsMemo(null, new byte[0], new HashMap<>());

  /** A memo that keeps nothing ({@code --no-cache}). */
  public static OriginsMemo none() {
    return NONE;
  }

  /** Keys by kind, so a copy's md5 and a link's name cannot meet. */
  static final char COPY = 'c';

  static final char ENABLED = 'e';

  private final Path file;
  private final byte[] fingerprint;
  private final Map<String, String> answers;
  private boolean changed;

  private OriginsMemo(Path file, byte[] fingerprint, Map<String, String> answers) {
    this.file = file;
    this.fingerprint = fingerprint;
    this.answers = answers;
  }

  /** The memo in {@code file} when it was made for {@code fingerprint}, else an empty one. */
  public static OriginsMemo load(Path file, byte[] fingerprint) {
    Map<String, String> answers = new HashMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 14))) {
      if (in.readInt() == MAGIC) {
        byte[] fp = new byte[in.readUnsignedByte()];
        in.readFully(fp);
        if (Arrays.equals(fp, fingerprint)) {
          Map<String, String> read = new HashMap<>();
          for (int n = in.readInt(); n > 0; n--) {
            String key = in.readUTF();
            read.put(key, in.readBoolean() ? in.readUTF() : "");
          }
          if (in.read() == -1) {
            answers = read; // all or nothing: a truncated memo is an empty one
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no memo, or not one we can read: every answer is looked up again
    }
    return new OriginsMemo(file, fingerprint.clone(), answers);
  }

  /**
   * The answer kept for {@code key} of {@code kind}: empty when it was "none", {@code null} when it
   * is not known.
   */
  Optional<String> get(char kind, String key) {
    String a = answers.get(kind + key);
    return a == null ? null : Optional.ofNullable(a.isEmpty() ? null : a);
  }

  /** Keeps {@code answer} ({@code null}: none) for {@code key}. */
  void put(char kind, String key, String answer) {
    if (file == null) {
      return;
    }
    String a = answer == null ? "" : answer;
    if (!a.equals(answers.put(kind + key, a))) {
      changed = true;
    }
  }

  /** Writes what was learnt, when anything was; a failure is returned in words, not thrown. */
  String save() {
    if (file == null || !changed) {
      return null;
    }
    try {
      AtomicWrite.write(
          file,
          raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(MAGIC);
            out.writeByte(fingerprint.length);
            out.write(fingerprint);
            out.writeInt(answers.size());
            for (Map.Entry<String, String> e : answers.entrySet()) {
              out.writeUTF(e.getKey());
              out.writeBoolean(!e.getValue().isEmpty());
              if (!e.getValue().isEmpty()) {
                out.writeUTF(e.getValue());
              }
            }
            out.flush();
          });
      changed = false;
      return null;
    } catch (IOException | RuntimeException e) {
      return file + ": classification memo not saved (" + e.getMessage() + ")";
    }
  }
}
