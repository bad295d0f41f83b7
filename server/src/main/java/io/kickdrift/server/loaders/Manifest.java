package io.kickdrift.server.loaders;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kickdrift.server.inventory.SyntaxText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code kickdrift-loaders.json}: the boot programs {@code kickdrift loaders} laid down in a TFTP
 * root, one entry per file. It tells later runs which files are kickdrift's (and so may be
 * replaced) and tells {@code render} and {@code serve} which GRUB command the installed GRUB has.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int version, List<Entry> files) {
  /** The file name in the TFTP root. */
  public static final String NAME = "kickdrift-loaders.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One file. {@code source} is the package file copied, or for a built GRUB the module directory;
   * {@code built} is true then. {@code grubLinux} is set for GRUB only.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String path,
      String source,
      @JsonProperty("package") String pkg,
      String version,
      String sha256,
      long size,
      Boolean built,
      String grubLinux) {}

  public Manifest {
    files = List.copyOf(files);
  }

  /** The entry of a path in the TFTP root. */
  public Optional<Entry> entry(String path) {
    return files.stream().filter(e -> e.path().equals(path)).findFirst();
  }

  /** The {@code linux}/{@code linuxefi} of the manifest's GRUB, when it lists one. */
  public Optional<String> grubLinux() {
    return files.stream().map(Entry::grubLinux).filter(g -> g != null).findFirst();
  }

  /** The JSON text, as written to the file. */
  public byte[] toJson() {
    try {
      byte[] text = JSON.writeValueAsBytes(this);
      byte[] withNewline = java.util.Arrays.copyOf(text, text.length + 1);
      withNewline[text.length] = '\n';
      return withNewline;
    } catch (IOException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }

  /**
   * Reads a manifest.
   *
   * @throws IOException naming the file when it cannot be read or is not a manifest
   */
  public static Manifest read(Path file) throws IOException {
    Manifest m;
    try {
      m = JSON.readValue(Files.readAllBytes(file), Manifest.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      var at = e.getLocation();
      throw new IOException(
          file
              + ": not a loaders manifest: "
              + (at == null
                  ? ""
                  : "at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ")
              + (e instanceof com.fasterxml.jackson.core.JsonParseException
                  ? SyntaxText.of(e.getOriginalMessage(), true)
                  : "expected the kickdrift-loaders.json that 'kickdrift loaders' writes"),
          e);
    }
    if (m.files().stream().anyMatch(e -> e.path() == null || e.sha256() == null)) {
      throw new IOException(file + ": an entry without path or sha256");
    }
    for (Entry e : m.files()) {
      if (e.grubLinux() != null && !List.of("linux", "linuxefi").contains(e.grubLinux())) {
        throw new IOException(
            file
                + ": "
                + e.path()
                + " grubLinux '"
                + e.grubLinux()
                + "'; expected linux or linuxefi");
      }
    }
    return m;
  }

  /** The manifest in a TFTP root, if there is one. */
  public static Optional<Manifest> readIn(Path root) throws IOException {
    Path file = root.resolve(NAME);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }
}
