package io.kickdrift.server.desired;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kickdrift.agent.state.AtomicWrite;
import io.kickdrift.server.drift.DriftRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The desired tree's per-owner list of files ({@code profiles/<p>/desired.yaml}, {@code
 * hosts/<h>/desired.yaml}; docs/desired-state.md): for each absolute path, what kind of entry it is
 * and with which mode, owner and group it is laid down. Read strictly (an unknown key or a bad
 * value is {@code FILE:LINE: what}); written atomically, sorted by path.
 */
public final class DesiredTree {
  /**
   * One desired path.
   *
   * @param kind {@code file} (bytes in {@code files/PATH}), {@code template} ({@code
   *     templates/PATH.ftl}), {@code link} (to {@code target}) or {@code absent} (must not exist)
   * @param mode octal permission bits, e.g. {@code 0644} (null for links and absent paths)
   * @param owner user name
   * @param group group name
   * @param pkg the package the path belongs to, or null for a file no package owns
   * @param secret how the scan stored a secret in it ({@code placeholder}, {@code inline}, {@code
   *     encrypted}), or null
   * @param from where it was adopted from, for the reader: {@code web01 @ 3f2a9c01b7e2, variant 1}
   */
  public record Entry(
      String kind,
      String mode,
      String owner,
      String group,
      String target,
      String pkg,
      String secret,
      String from) {}

  /** An error in a desired.yaml, {@code FILE:LINE: what}. */
  public static final class DesiredException extends Exception {
    DesiredException(String message) {
      super(message);
    }
  }

  static final Set<String> KINDS = Set.of("file", "template", "link", "absent");
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
  private static final YAMLFactory YAML = new YAMLFactory();

  private DesiredTree() {}

  /** The entries of {@code file}, by path; none when it does not exist. */
  public static Map<String, Entry> read(Path file) throws DesiredException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw new DesiredException(file + ": cannot read: " + e.getMessage());
    }
    try (JsonParser p = YAML.createParser(text)) {
      return parse(file, p);
    } catch (JsonProcessingException e) {
      throw new DesiredException(
          file + ":" + e.getLocation().getLineNr() + ": not YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DesiredException(file + ": " + e.getMessage());
    }
  }

  private static Map<String, Entry> parse(Path file, JsonParser p)
      throws IOException, DesiredException {
    Map<String, Entry> out = new TreeMap<>();
    JsonToken t = p.nextToken();
    if (t == null) {
      return out;
    }
    expect(file, p, t == JsonToken.START_OBJECT, "a mapping with the key files");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      if (!p.currentName().equals("files")) {
        throw error(file, p, "unknown key \"" + p.currentName() + "\"; expected files");
      }
      t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      expect(file, p, t == JsonToken.START_OBJECT, "files: a mapping of absolute paths");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String path = p.currentName();
        int line = p.currentTokenLocation().getLineNr();
        checkPath(file, line, path);
        if (out.containsKey(path)) {
          throw error(file, p, path + " appears twice");
        }
        expect(file, p, p.nextToken() == JsonToken.START_OBJECT, path + ": a mapping");
        Map<String, String> v = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken value = p.nextToken();
          expect(file, p, value.isScalarValue(), path + "." + key + ": a scalar");
          if (!Set.of("kind", "mode", "owner", "group", "target", "package", "secret", "from")
              .contains(key)) {
            throw error(
                file,
                p,
                path
                    + ": unknown key \""
                    + key
                    + "\"; expected kind, mode, owner, group, target, package, secret, from");
          }
          v.put(key, value == JsonToken.VALUE_NULL ? null : p.getText());
        }
        out.put(path, entry(file, line, path, v));
      }
    }
    return out;
  }

  private static Entry entry(Path file, int line, String path, Map<String, String> v)
      throws DesiredException {
    String kind = v.get("kind");
    if (kind == null || !KINDS.contains(kind)) {
      throw new DesiredException(
          file
              + ":"
              + line
              + ": "
              + path
              + ": kind \""
              + kind
              + "\"; expected file, template,"
              + " link or absent");
    }
    String mode = v.get("mode");
    if ((kind.equals("file") || kind.equals("template"))
        && (mode == null || !MODE.matcher(mode).matches())) {
      throw new DesiredException(
          file + ":" + line + ": " + path + ": mode \"" + mode + "\"; expected octal, e.g. 0644");
    }
    if (kind.equals("link") && v.get("target") == null) {
      throw new DesiredException(file + ":" + line + ": " + path + ": a link without target");
    }
    return new Entry(
        kind,
        mode,
        v.get("owner"),
        v.get("group"),
        v.get("target"),
        v.get("package"),
        v.get("secret"),
        v.get("from"));
  }

  /** Writes {@code entries} to {@code file} atomically, by path. */
  public static void write(Path file, Map<String, Entry> entries) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# kickdrift desired state: written by kickdrift adopt; see docs/desired-state.md\n");
    b.append("files:\n");
    for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
      Entry d = e.getValue();
      b.append("  ").append(quote(e.getKey())).append(":\n");
      line(b, "kind", d.kind());
      line(b, "mode", d.mode());
      line(b, "owner", d.owner());
      line(b, "group", d.group());
      line(b, "target", d.target());
      line(b, "package", d.pkg());
      line(b, "secret", d.secret());
      line(b, "from", d.from());
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicWrite.to(file).modeIfNew(0644).write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void line(StringBuilder b, String key, String value) {
    if (value != null) {
      b.append("    ").append(key).append(": ").append(quote(value)).append('\n');
    }
  }

  /** A YAML double-quoted scalar: backslash, quote and control characters escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** An absolute path of normal names, as manifests key them ({@link DriftRepo#checkPath}). */
  static void checkPath(Path file, int line, String path) throws DesiredException {
    try {
      DriftRepo.checkPath(path);
    } catch (IllegalArgumentException e) {
      throw new DesiredException(file + ":" + line + ": " + e.getMessage());
    }
  }

  private static void expect(Path file, JsonParser p, boolean ok, String expected)
      throws DesiredException {
    if (!ok) {
      throw error(file, p, "expected " + expected);
    }
  }

  private static DesiredException error(Path file, JsonParser p, String what) {
    return new DesiredException(file + ":" + p.currentTokenLocation().getLineNr() + ": " + what);
  }
}
