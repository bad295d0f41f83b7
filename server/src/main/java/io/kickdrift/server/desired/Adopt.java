package io.kickdrift.server.desired;

import io.kickdrift.agent.state.AtomicWrite;
import io.kickdrift.server.drift.DriftFile;
import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * {@code kickdrift adopt}: one path's variant written into the desired tree, as a Git commit for
 * review (docs/desired-state.md). Everything is checked before anything is written: a path no host
 * has, a variant number out of range, a host of another profile, a template variable a host of the
 * profile lacks in the inventory are each an {@link IllegalArgumentException} naming the path and
 * what exists, and the tree is left as it was.
 */
public final class Adopt {
  /**
   * What to adopt: {@code path} for {@code profile} (all its hosts), or for {@code host} alone when
   * {@code profile} is null; the variant numbered {@code variant}, else the one {@code host} holds,
   * else variant 1.
   */
  public record Request(String path, String profile, Integer variant, String host) {}

  /** What was done: the commit, the files written (relative to the tree), its message. */
  public record Done(String commit, List<String> written, String message) {}

  private Adopt() {}

  public static Done run(
      DriftRepo repo, Inventory inventory, Path desired, Request r, PersonIdent who)
      throws IOException {
    DriftRepo.checkPath(r.path());
    Host only = null;
    if (r.host() != null) {
      only =
          inventory.hosts().stream()
              .filter(h -> h.name().equals(r.host()))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("no host " + r.host() + " in the inventory"));
      if (r.profile() != null && !only.profile().equals(r.profile())) {
        throw new IllegalArgumentException(
            "host " + r.host() + " is of profile " + only.profile() + ", not " + r.profile());
      }
    }
    String profile = r.profile() != null ? r.profile() : only == null ? null : only.profile();
    if (profile == null) {
      throw new IllegalArgumentException("adopt for whom: give --profile, --host or both");
    }
    VariantSource.profiles(inventory, profile);
    List<Variants.Path> found = VariantSource.variants(repo, inventory, profile, r.path()::equals);
    Variants.Path p =
        found.stream()
            .filter(v -> v.path().equals(r.path()))
            .findFirst()
            .orElseThrow(() -> noSuchPath(repo, inventory, profile, r.path()));
    Variants.Variant v = choose(p, r);
    boolean forHost = r.profile() == null;
    String owner = forHost ? "hosts/" + r.host() : "profiles/" + profile;
    String sampleHost = forHost ? r.host() : v.hosts().get(0);
    // the sample host's manifest entry: mode, owner, group, package; and, for one host, its blob
    DriftRepo.HeadFile sample =
        repo.headFiles(sampleHost).orElseThrow().stream()
            .filter(f -> f.file().path().equals(r.path()))
            .findFirst()
            .orElseThrow();
    DriftFile meta = sample.file();
    String kind =
        switch (v.kind()) {
          case "template" -> forHost ? "file" : "template";
          case "file", "binary" -> "file";
          case "link" -> "link";
          case "missing" -> "absent";
          default ->
              throw new IllegalArgumentException(
                  r.path()
                      + ": variant "
                      + v.number()
                      + " is "
                      + v.kind()
                      + " (nothing stored to adopt: a file larger than 16 MiB, unreadable, or a"
                      + " secret left out)");
        };
    if (kind.equals("template")) {
      checkVariables(inventory, profile, r.path(), v);
    }
    String from =
        sampleHost
            + " @ "
            + repo.headCommit().substring(0, 12)
            + ", variant "
            + v.number()
            + " of "
            + p.variants().size();
    DesiredTree.Entry entry =
        new DesiredTree.Entry(
            kind,
            kind.equals("file") || kind.equals("template") ? meta.mode() : null,
            meta.user(),
            meta.group(),
            kind.equals("link") ? v.link() : null,
            meta.pkg(),
            meta.secret() == null || meta.secret().equals("none") ? null : meta.secret(),
            from);
    byte[] content =
        switch (kind) {
          case "file" ->
              repo.blob(forHost ? stored(sample, sampleHost) : v.blob(), VariantSource.MAX_BYTES);
          case "template" -> v.template().getBytes(StandardCharsets.UTF_8);
          default -> null;
        };

    // checked: now write, then commit
    Path ownerDir = desired.resolve(owner);
    Path yaml = ownerDir.resolve("desired.yaml");
    Map<String, DesiredTree.Entry> entries;
    try {
      entries = DesiredTree.read(yaml);
    } catch (DesiredTree.DesiredException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<String> written = new ArrayList<>();
    Path asFile = ownerDir.resolve("files" + r.path());
    Path asTemplate = ownerDir.resolve("templates" + r.path() + ".ftl");
    Git git = openOrInit(desired);
    try (git) {
      Path top = git.getRepository().getWorkTree().toPath().toAbsolutePath().normalize();
      for (Path stale : List.of(asFile, asTemplate)) {
        if (Files.deleteIfExists(stale)) {
          git.rm().addFilepattern(rel(top, stale)).setCached(true).call();
        }
      }
      if (content != null) {
        Path target = kind.equals("template") ? asTemplate : asFile;
        Files.createDirectories(target.getParent());
        AtomicWrite.to(target).mode(0644).write(content);
        written.add(rel(top, target));
      }
      entries.put(r.path(), entry);
      DesiredTree.write(yaml, entries);
      written.add(rel(top, yaml));
      for (String w : written) {
        git.add().addFilepattern(w).call();
      }
      String message =
          "adopt "
              + r.path()
              + " for "
              + (forHost ? "host " + r.host() : "profile " + profile)
              + ": "
              + (kind.equals("template")
                  ? "template with host." + String.join(", host.", v.variables())
                  : kind)
              + "\n\nFrom "
              + from
              + " ("
              + v.hosts().size()
              + (v.hosts().size() == 1 ? " host: " : " hosts: ")
              + String.join(" ", v.hosts())
              + ").\n";
      RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
      return new Done(c.name(), written, message);
    } catch (GitAPIException e) {
      throw new IOException(desired + ": cannot commit: " + e.getMessage(), e);
    }
  }

  private static Variants.Variant choose(Variants.Path p, Request r) {
    if (r.variant() != null) {
      if (r.variant() < 1 || r.variant() > p.variants().size()) {
        throw new IllegalArgumentException(
            "variant "
                + r.variant()
                + " of "
                + p.path()
                + ": expected 1 to "
                + p.variants().size()
                + " (kickdrift drift variants --path "
                + p.path()
                + " lists them)");
      }
      return p.variants().get(r.variant() - 1);
    }
    if (r.host() != null) {
      return p.variants().stream()
          .filter(v -> v.hosts().contains(r.host()))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      p.path()
                          + ": host "
                          + r.host()
                          + " does not have it; hosts that do: "
                          + String.join(
                              " ",
                              p.variants().stream()
                                  .flatMap(v -> v.hosts().stream())
                                  .sorted()
                                  .toList())));
    }
    return p.variants().get(0);
  }

  /** Every host of the profile must have every value the template uses. */
  private static void checkVariables(
      Inventory inventory, String profile, String path, Variants.Variant v) {
    for (Host h : inventory.hosts()) {
      if (!h.profile().equals(profile)) {
        continue;
      }
      Map<String, String> values = HostValues.of(h);
      for (String var : v.variables()) {
        if (!values.containsKey(var)) {
          throw new IllegalArgumentException(
              path
                  + ": the template uses host."
                  + var
                  + ", which the inventory does not give host "
                  + h.name()
                  + " of profile "
                  + profile
                  + " (it gives "
                  + String.join(", ", values.keySet())
                  + "); adopt it for each host with --host, or complete the inventory");
        }
      }
    }
  }

  private static IllegalArgumentException noSuchPath(
      DriftRepo repo, Inventory inventory, String profile, String path) {
    List<String> paths = new ArrayList<>();
    try {
      for (Variants.Path p : VariantSource.variants(repo, inventory, profile, any -> true)) {
        paths.add(p.path());
      }
    } catch (IOException e) {
      // the message below stands without the list
    }
    String listed =
        paths.isEmpty()
            ? "the scans found no path on its hosts"
            : "paths the scans found: "
                + String.join(" ", paths.subList(0, Math.min(20, paths.size())))
                + (paths.size() > 20 ? " … (" + paths.size() + ")" : "");
    return new IllegalArgumentException(
        path + ": no host of profile " + profile + " has it in the config repository; " + listed);
  }

  private static String stored(DriftRepo.HeadFile f, String host) {
    if (f.blob() == null) {
      throw new IllegalArgumentException(f.file().path() + ": nothing stored for " + host);
    }
    return f.blob();
  }

  /** The desired tree's Git repository: the one it is in, else a new one there (branch main). */
  static Git openOrInit(Path desired) throws IOException {
    Files.createDirectories(desired);
    FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(desired.toFile());
    if (b.getGitDir() != null) {
      return new Git(b.build());
    }
    try {
      return Git.init().setDirectory(desired.toFile()).setInitialBranch("main").call();
    } catch (GitAPIException e) {
      throw new IOException(desired + ": cannot make a git repository: " + e.getMessage(), e);
    }
  }

  /** A commit's author: the Unix user at this host, now, in UTC. */
  public static PersonIdent author(String name, Instant now) {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    return new PersonIdent(name, name + "@" + host, now, ZoneOffset.UTC);
  }

  private static String rel(Path top, Path p) {
    return top.relativize(p.toAbsolutePath().normalize()).toString();
  }
}
