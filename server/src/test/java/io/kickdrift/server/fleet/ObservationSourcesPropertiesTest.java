package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.OwnedPaths;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.scan.Accounts;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanOptions;
import io.kickdrift.agent.scan.ScanPipeline;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Scanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The agent's local tree and the agentless commands ({@code find -printf}, {@code md5sum}, {@code
 * sha256sum}, {@code head | grep} run by {@code sh -c}) observe the same random tree, and the one
 * pipeline makes the same report from either: everything but the timing and hashing statistics.
 */
class ObservationSourcesPropertiesTest {
  private static final List<String> NAMES =
      List.of(
          "/etc/t/a",
          "/etc/t/b",
          "/etc/t/c",
          "/etc/t/d.dpkg-dist",
          "/etc/t/sub/e",
          "/etc/t/skip/f");
  private static final List<String> CONTENTS =
      List.of("", "one\n", "two\n", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n");
  private static final GlobRules IGNORE = GlobRules.parse("(test ignore)", "skip/\n*.bak\n");
  private static final GlobRules SECRETS = GlobRules.parse("(test secrets)", "/etc/t/c\n");

  /** What is at one path: nothing, a file, a relative symlink or a directory. */
  record Node(String path, String kind, int content, String mode, String linkTarget) {}

  /** One random case: the tree, the packages' records of it, and the scope. */
  record Case(List<Node> tree, List<PackageFile> packaged, boolean allFiles) {}

  @Property(tries = 60)
  void bothSourcesGiveTheSameReport(@ForAll("cases") Case c) throws Exception {
    Path root = Files.createTempDirectory("kickdrift-sources");
    try {
      build(root, c.tree());
      PackageDatabase db = database(c.packaged());
      ScanOptions local =
          new ScanOptions(root, c.allFiles(), List.of("/etc"), IGNORE, SECRETS, null, 2);
      Agentless.Request remote =
          new Agentless.Request(
              "h", root.toString(), List.of("/etc"), c.allFiles(), IGNORE, SECRETS);
      Set<String> reported = new HashSet<>();
      c.packaged().forEach(f -> reported.add(f.path()));

      ScanReport agent = Scanner.scan(db, local, "h");
      AgentlessScan commands =
          new AgentlessScan(
              new LocalShell(),
              remote,
              AgentlessBackend.dpkg(remote.prefix(), c.allFiles()),
              reported,
              Accounts.of(root));
      ScanReport agentless =
          ScanPipeline.run("h", db, db.backend(), commands, remote.rules(), System.nanoTime());

      assertThat(withoutCosts(agentless)).isEqualTo(withoutCosts(agent));
      agent.findings().forEach(f -> Statistics.collect(f.status(), f.problems()));
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Without costs, and without inline secrets: the agentless scan reads no content for them. */
  private static ScanReport withoutCosts(ScanReport r) {
    return new ScanReport(
        r.schema(),
        r.host(),
        r.root(),
        r.backend(),
        r.scope(),
        r.metadataChecked(),
        new ScanReport.Stats(r.stats().packageFiles(), r.stats().unownedCandidates(), 0, 0, 0),
        r.findings().stream().map(f -> f.withInlineSecrets(List.of())).toList(),
        r.leftovers(),
        r.warnings());
  }

  private static void build(Path root, List<Node> tree) throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc/t"));
    Files.writeString(etc.resolveSibling("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(etc.resolveSibling("group"), "root:x:0:\n");
    for (Node n : tree) {
      Path p = root.resolve(n.path().substring(1));
      Files.createDirectories(p.getParent());
      switch (n.kind()) {
        case "file":
          Files.writeString(p, CONTENTS.get(n.content()));
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(n.mode()));
          break;
        case "link":
          Files.createSymbolicLink(p, Path.of(n.linkTarget()));
          break;
        case "dir":
          Files.createDirectories(p);
          break;
        default:
          break;
      }
    }
  }

  private static PackageDatabase database(List<PackageFile> files) {
    Set<String> owned = new HashSet<>(Set.of("/etc/passwd", "/etc/group"));
    files.forEach(f -> owned.add(f.path()));
    return new PackageDatabase(
        PackageSource.DPKG, files, OwnedPaths.of(owned, Set.of()), Set.of(), List.of(), true);
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<List<Node>> tree =
        Combinators.combine(NAMES.stream().map(this::node).toList()).as(List::copyOf);
    Arbitrary<List<PackageFile>> packaged =
        Combinators.combine(NAMES.stream().map(this::packaged).toList())
            .as(l -> l.stream().filter(f -> f != null).toList());
    return Combinators.combine(tree, packaged, Arbitraries.of(true, false)).as(Case::new);
  }

  private Arbitrary<Node> node(String path) {
    Arbitrary<Integer> content = Arbitraries.integers().between(0, CONTENTS.size() - 1);
    Arbitrary<String> mode = Arbitraries.of("rw-r--r--", "rw-------", "rwxr-xr-x");
    String name = path.substring(path.lastIndexOf('/') + 1);
    // Relative targets only: absolute ones resolve differently under a root (docs/fleet.md).
    Arbitrary<String> target = Arbitraries.of("a", "../t/b", "nowhere", name);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(new Node(path, "none", 0, null, null))),
        Tuple.of(
            5, Combinators.combine(content, mode).as((c, m) -> new Node(path, "file", c, m, null))),
        Tuple.of(2, target.map(t -> new Node(path, "link", 0, null, t))),
        Tuple.of(1, Arbitraries.just(new Node(path, "dir", 0, null, null))));
  }

  /** A package's record of {@code path}, as dpkg (no metadata) or RPM (all of it) keeps it. */
  private Arbitrary<PackageFile> packaged(String path) {
    Arbitrary<Digest> digest =
        Combinators.combine(
                Arbitraries.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA256),
                Arbitraries.integers().between(0, CONTENTS.size() - 1))
            .as((a, c) -> digest(a, CONTENTS.get(c)));
    Arbitrary<FileMeta> rpm =
        Combinators.combine(
                Arbitraries.of(FileType.REGULAR, FileType.SYMLINK),
                Arbitraries.of(0644, 0600),
                Arbitraries.of("a", "nowhere"),
                Arbitraries.integers().between(0, CONTENTS.size() - 1))
            .as(
                (t, perms, link, c) ->
                    new FileMeta(
                        t,
                        perms,
                        "root",
                        "root",
                        t == FileType.SYMLINK ? link : null,
                        t == FileType.REGULAR ? (long) CONTENTS.get(c).length() : null,
                        null));
    Arbitrary<FileMeta> meta = Arbitraries.oneOf(Arbitraries.just(FileMeta.UNKNOWN), rpm);
    Arbitrary<Set<FileFlag>> flags =
        Arbitraries.subsetOf(FileFlag.CONFIG, FileFlag.MISSINGOK)
            .map(s -> s.isEmpty() ? EnumSet.noneOf(FileFlag.class) : EnumSet.copyOf(s));
    Arbitrary<PackageFile> file =
        Combinators.combine(digest.injectNull(0.2), flags, meta)
            .as((d, f, m) -> new PackageFile(path, "pkg", "1.0", d, f, m, null));
    return file.injectNull(0.3);
  }

  private static Digest digest(DigestAlgorithm a, String content) {
    try {
      MessageDigest md = MessageDigest.getInstance(a.jcaName());
      return Digest.of(a, md.digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
