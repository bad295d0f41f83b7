package io.kickdrift.server.loaders;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Which installed package owns a file and its version, asked of the package manager: {@code
 * dpkg-query} on Debian, {@code rpm} on the RHEL family. The output parsers are pure.
 */
public final class PackageOwner {
  /** A package and its version, e.g. {@code grub-efi-amd64-signed 1+2.06+13+deb12u2}. */
  public record Owned(String pkg, String version) {}

  /** Runs a command and returns its standard output, or empty when it exits non-zero. */
  @FunctionalInterface
  public interface Runner {
    Optional<String> run(List<String> argv) throws IOException;
  }

  private final OsFamily family;
  private final Runner runner;

  public PackageOwner(OsFamily family, Runner runner) {
    this.family = family;
    this.runner = runner;
  }

  /** The owner of an absolute path, empty when no package owns it. */
  public Optional<Owned> ownerOf(String path) throws IOException {
    return switch (family) {
      case DEBIAN -> {
        Optional<String> pkg =
            runner.run(List.of("dpkg-query", "-S", path)).flatMap(PackageOwner::parseDpkgSearch);
        if (pkg.isEmpty()) {
          yield Optional.empty();
        }
        yield version(pkg.get()).map(v -> new Owned(pkg.get(), v));
      }
      case RHEL ->
          runner
              .run(List.of("rpm", "-qf", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", path))
              .flatMap(PackageOwner::parseRpmQuery);
    };
  }

  /** The version of an installed package, empty when it is not installed. */
  public Optional<String> version(String pkg) throws IOException {
    return switch (family) {
      case DEBIAN ->
          runner
              .run(List.of("dpkg-query", "-W", "-f=${Version}", pkg))
              .map(String::strip)
              .filter(v -> !v.isEmpty());
      case RHEL ->
          runner
              .run(List.of("rpm", "-q", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", pkg))
              .flatMap(PackageOwner::parseRpmQuery)
              .map(Owned::version);
    };
  }

  /**
   * The package of {@code dpkg-query -S PATH}'s first line ({@code shim-signed:amd64: /usr/…}),
   * without its architecture qualifier. A diversion line or a list of several packages gives the
   * first.
   */
  static Optional<String> parseDpkgSearch(String out) {
    for (String line : out.split("\n")) {
      if (line.startsWith("diversion by") || line.isBlank()) {
        continue;
      }
      int colonSpace = line.indexOf(": ");
      if (colonSpace <= 0) {
        return Optional.empty();
      }
      String pkg = line.substring(0, colonSpace).split(",")[0].strip();
      int arch = pkg.indexOf(':');
      return Optional.of(arch < 0 ? pkg : pkg.substring(0, arch));
    }
    return Optional.empty();
  }

  /** {@code NAME VERSION-RELEASE} of rpm's first line; "not owned" and the like give empty. */
  static Optional<Owned> parseRpmQuery(String out) {
    String line = out.strip().split("\n")[0];
    String[] words = line.split(" ");
    if (words.length != 2 || words[0].isEmpty() || words[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Owned(words[0], words[1]));
  }
}
