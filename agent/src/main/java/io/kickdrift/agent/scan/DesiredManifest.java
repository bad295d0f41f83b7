package io.kickdrift.agent.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One host's desired state as the host keeps it ({@code /var/lib/kickdrift/desired.json}, written
 * by the kickstart's {@code %post} or the Ansible export): each desired path with its kind, content
 * digest, mode, owner and group. The server renders it from the desired tree; {@code scan
 * --against-desired} reads it. Secrets carry no digest: their content is not compared.
 *
 * @param schema {@link #SCHEMA}
 * @param host the host it was rendered for
 * @param source where it came from, for the reader ({@code desired tree /etc/kickdrift/desired})
 * @param files sorted by path
 */
public record DesiredManifest(int schema, String host, String source, List<Entry> files) {
  public static final int SCHEMA = 1;

  /** Where the host keeps it unless told otherwise. */
  public static final String DEFAULT_PATH = "/var/lib/kickdrift/desired.json";

  /**
   * One desired path.
   *
   * @param kind {@code file}, {@code link} or {@code absent}
   * @param sha256 the content's digest in hex; {@code null} for a secret, a link or an absent path
   * @param mode octal permission bits ({@code 0644}) of a file
   * @param target a link's target
   * @param pkg the package the path belongs to, {@code null} for a file no package owns
   * @param secret how the secret is kept ({@code placeholder}, {@code encrypted}, …), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String path,
      String kind,
      String sha256,
      String mode,
      String owner,
      String group,
      String target,
      @JsonProperty("package") String pkg,
      String secret) {}

  static final Set<String> KINDS = Set.of("file", "link", "absent");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  public DesiredManifest {
    files =
        files == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(files));
  }

  /** The JSON a host keeps, ending in a newline. */
  public byte[] json() {
    try {
      byte[] b = JSON.writeValueAsBytes(this);
      byte[] nl = new byte[b.length + 1];
      System.arraycopy(b, 0, nl, 0, b.length);
      nl[b.length] = '\n';
      return nl;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code file}; see {@link #parse}. */
  public static DesiredManifest read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Reads a manifest strictly.
   *
   * @throws IOException naming {@code source}, and the line and column or the entry, and what was
   *     expected
   */
  public static DesiredManifest parse(String source, byte[] json) throws IOException {
    DesiredManifest m;
    try {
      m = JSON.readValue(json, DesiredManifest.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IOException(
          source
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not a desired-state manifest: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      // bytes Jackson cannot even decode (its UTF-32 detection: "Unsupported UCS-4 endianness")
      throw new IOException(source + ": not a desired-state manifest: " + e.getMessage(), e);
    }
    if (m == null) {
      throw new IOException(source + ": empty; expected a desired-state manifest (JSON)");
    }
    if (m.schema() != SCHEMA) {
      throw new IOException(
          source + ": schema " + m.schema() + "; expected " + SCHEMA + " (a newer kickdrift?)");
    }
    List<String> problems = new ArrayList<>();
    String previous = null;
    for (int i = 0; i < m.files().size(); i++) {
      Entry e = m.files().get(i);
      String at = "files[" + i + "]" + (e == null || e.path() == null ? "" : " " + e.path());
      if (e == null) {
        problems.add(at + ": null; expected an entry");
        continue;
      }
      check(e).ifPresent(p -> problems.add(at + ": " + p));
      if (previous != null && e.path() != null && previous.compareTo(e.path()) >= 0) {
        problems.add(at + ": out of order or repeated after " + previous);
      }
      previous = e.path() == null ? previous : e.path();
    }
    if (!problems.isEmpty()) {
      throw new IOException(source + ": " + String.join("; ", problems));
    }
    return m;
  }

  private static Optional<String> check(Entry e) {
    String p = e.path();
    if (p == null || !p.startsWith("/") || p.length() < 2 || p.indexOf('\0') >= 0) {
      return Optional.of("path: expected an absolute path");
    }
    for (String part : p.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return Optional.of("path: expected a normal absolute path, no . or .. or //");
      }
    }
    if (e.kind() == null || !KINDS.contains(e.kind())) {
      return Optional.of("kind " + e.kind() + ": expected file, link or absent");
    }
    switch (e.kind()) {
      case "file" -> {
        if (e.sha256() == null ? e.secret() == null : !SHA256.matcher(e.sha256()).matches()) {
          return Optional.of(
              "sha256 " + e.sha256() + ": expected 64 lower-case hex digits (or a secret)");
        }
        if (e.mode() == null || !MODE.matcher(e.mode()).matches()) {
          return Optional.of("mode " + e.mode() + ": expected octal such as 0644");
        }
        if (e.owner() == null || e.group() == null) {
          return Optional.of("expected an owner and a group");
        }
      }
      case "link" -> {
        if (e.target() == null || e.target().isEmpty()) {
          return Optional.of("expected the link's target");
        }
      }
      default -> {}
    }
    return Optional.empty();
  }
}
