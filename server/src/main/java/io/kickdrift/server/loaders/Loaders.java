package io.kickdrift.server.loaders;

import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Lays the boot programs of this server's packages out in a TFTP root and records them in {@link
 * Manifest}: each file of the {@link Catalog} is copied from the first source present (the UEFI
 * GRUB built with {@code grub-mkimage} when no package file is there, or when asked), written
 * atomically, and never over a file the user put there unless forced.
 *
 * <pre>
 * Loaders.Result r = new Loaders(owner).run(new Loaders.Settings(root, Path.of("/"),
 *     OsFamily.DEBIAN, false, false));
 * </pre>
 */
public final class Loaders {
  /**
   * What to do.
   *
   * @param systemRoot where package files are looked for (normally /); package queries still ask
   *     this machine's package database about the same absolute paths
   */
  public record Settings(
      Path out, Path systemRoot, OsFamily family, boolean force, boolean buildGrub) {}

  /** What happened to one file. */
  public enum Status {
    COPIED,
    BUILT,
    UNCHANGED,
    REFUSED,
    MISSING
  }

  /**
   * One file's outcome: its manifest entry when it is in place (copied, built, unchanged), else the
   * message naming what to do.
   */
  public record Outcome(String target, Status status, Manifest.Entry entry, String message) {}

  /** Every file's outcome, and whether the manifest was rewritten. */
  public record Result(List<Outcome> outcomes, boolean manifestWritten) {
    public Result {
      outcomes = List.copyOf(outcomes);
    }

    public long count(Status... statuses) {
      List<Status> wanted = List.of(statuses);
      return outcomes.stream().filter(o -> wanted.contains(o.status())).count();
    }

    /** Nothing missing and nothing refused. */
    public boolean complete() {
      return count(Status.REFUSED, Status.MISSING) == 0;
    }
  }

  private final PackageOwner owner;

  public Loaders(PackageOwner owner) {
    this.owner = owner;
  }

  /**
   * Runs once over the catalog of the settings' family.
   *
   * @throws IOException when the root cannot be written or its manifest cannot be read
   */
  public Result run(Settings s) throws IOException {
    Files.createDirectories(s.out());
    Optional<Manifest> previous = Manifest.readIn(s.out());
    List<Outcome> outcomes = new ArrayList<>();
    for (Wanted w : Catalog.forFamily(s.family())) {
      outcomes.add(one(s, w, previous));
    }
    List<Manifest.Entry> entries =
        outcomes.stream().map(Outcome::entry).filter(e -> e != null).toList();
    byte[] json = new Manifest(1, entries).toJson();
    Path file = s.out().resolve(Manifest.NAME);
    boolean write = !Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), json);
    if (write) {
      AtomicWrite.write(file, o -> o.write(json));
    }
    return new Result(outcomes, write);
  }

  private Outcome one(Settings s, Wanted w, Optional<Manifest> previous) throws IOException {
    Path target = s.out().resolve(w.target());
    Optional<Manifest.Entry> recorded = previous.flatMap(m -> m.entry(w.target()));
    Optional<String> present = presentSha(target);
    Optional<String> source = firstPresent(s.systemRoot(), w.sources());
    Catalog.GrubTools tools = Catalog.grubTools(s.family());
    boolean build =
        w.grub()
            && (s.buildGrub() || source.isEmpty())
            && GrubBuild.possible(
                inRoot(s.systemRoot(), tools.mkimage()), inRoot(s.systemRoot(), tools.modules()));
    if (source.isEmpty() && !build) {
      String pkg = w.grub() && s.buildGrub() ? tools.modulesPkg() : w.pkg();
      String message = w.target() + " — " + s.family().install() + " " + pkg;
      // a file laid down earlier stays kickdrift's while it is unchanged
      Manifest.Entry keep =
          recorded
              .filter(e -> present.isPresent() && present.get().equals(e.sha256()))
              .orElse(null);
      return new Outcome(w.target(), Status.MISSING, keep, message);
    }
    byte[] content =
        build
            ? GrubBuild.build(
                inRoot(s.systemRoot(), tools.mkimage()),
                inRoot(s.systemRoot(), tools.modules()),
                s.out())
            : Files.readAllBytes(inRoot(s.systemRoot(), source.get()));
    String sha = sha256(content);
    Decision decision = Decision.of(present, recorded.map(Manifest.Entry::sha256), sha, s.force());
    if (decision == Decision.REFUSE) {
      return new Outcome(
          w.target(),
          Status.REFUSED,
          null,
          target
              + " is not the file kickdrift put there (not in "
              + Manifest.NAME
              + " or changed since); --force replaces it");
    }
    Manifest.Entry entry =
        build ? builtEntry(w, tools, sha, content) : copiedEntry(w, source.get(), sha, content);
    if (decision == Decision.WRITE) {
      AtomicWrite.to(target).mode(0644).write(content);
      return new Outcome(w.target(), build ? Status.BUILT : Status.COPIED, entry, "");
    }
    return new Outcome(w.target(), Status.UNCHANGED, entry, "");
  }

  private Manifest.Entry copiedEntry(Wanted w, String source, String sha, byte[] content)
      throws IOException {
    Optional<PackageOwner.Owned> owned = owner.ownerOf(source);
    return new Manifest.Entry(
        w.target(),
        source,
        owned.map(PackageOwner.Owned::pkg).orElse(w.pkg()),
        owned.map(PackageOwner.Owned::version).orElse(null),
        sha,
        content.length,
        null,
        w.grub() ? GrubImage.grubLinux(content) : null);
  }

  private Manifest.Entry builtEntry(Wanted w, Catalog.GrubTools tools, String sha, byte[] content)
      throws IOException {
    return new Manifest.Entry(
        w.target(),
        tools.modules(),
        tools.mkimagePkg(),
        owner.version(tools.mkimagePkg()).orElse(null),
        sha,
        content.length,
        true,
        GrubImage.grubLinux(content));
  }

  private static Optional<String> firstPresent(Path systemRoot, List<String> sources) {
    return sources.stream().filter(p -> Files.isRegularFile(inRoot(systemRoot, p))).findFirst();
  }

  /** An absolute server path under the system root. */
  static Path inRoot(Path systemRoot, String absolute) {
    return systemRoot.resolve(absolute.substring(1));
  }

  /** The sha256 of what is at the path now; a non-file gives a digest that matches nothing. */
  private static Optional<String> presentSha(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("not a regular file");
    }
    try (InputStream in = Files.newInputStream(target)) {
      return Optional.of(DigestUtils.sha256Hex(in));
    }
  }

  static String sha256(byte[] content) {
    return DigestUtils.sha256Hex(content);
  }
}
