package io.kickdrift.server.render;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a kickstart lays down from the host's desired state (docs/desired-state.md, "Install with
 * it"), as plain values for {@code snippets/desired.ftl}: each path with its kind, mode, owner,
 * group and content in base64 lines; the packages the files belong to, for {@code %packages}; and
 * the manifest the host keeps for {@code scan --against-desired}. Built by {@code
 * desired.HostDesired.State#model}.
 *
 * @param manifest the manifest's JSON in base64 lines; empty when the host has no desired state
 */
public record DesiredModel(
    List<FileModel> files, List<String> packages, List<String> manifest, String manifestPath) {
  /** A host without desired state: the kickstart has no desired {@code %post}. */
  public static final DesiredModel NONE = new DesiredModel(List.of(), List.of(), List.of(), null);

  public DesiredModel {
    files = List.copyOf(files);
    packages = List.copyOf(packages);
    manifest = List.copyOf(manifest);
  }

  /**
   * One path.
   *
   * @param kind {@code file}, {@code link} or {@code absent}
   * @param dir the parent directory, created when missing
   * @param base64 a file's content in lines of 76 characters
   */
  public record FileModel(
      String path,
      String kind,
      String dir,
      String mode,
      String owner,
      String group,
      String target,
      List<String> base64) {
    public FileModel {
      base64 = List.copyOf(base64);
    }
  }

  /** {@code bytes} in base64, lines of 76 characters as base64(1) writes them. */
  public static List<String> base64Lines(byte[] bytes) {
    String all = Base64.getEncoder().encodeToString(bytes);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < all.length(); i += 76) {
      lines.add(all.substring(i, Math.min(all.length(), i + 76)));
    }
    return lines;
  }
}
