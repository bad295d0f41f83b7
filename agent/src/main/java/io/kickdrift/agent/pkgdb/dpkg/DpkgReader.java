package io.kickdrift.agent.pkgdb.dpkg;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.OwnedPaths;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.pkgdb.deb.DebCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads a dpkg database under a root directory into a {@link PackageDatabase}, in pure Java: the
 * status file and its pending {@code updates/} journal, {@code info/*.list} and {@code *.md5sums},
 * diversions, stat overrides, alternatives and ucf's registry.
 *
 * <p>Example: {@code DpkgReader.read(Path.of("/"))}.
 */
public final class DpkgReader {
  static final String ADMIN_DIR = "var/lib/dpkg";

  private final Path root;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

  private DpkgReader(Path root) {
    this.root = root;
  }

  /** Whether {@code root} holds a dpkg database. */
  public static boolean present(Path root) {
    return Files.isRegularFile(root.resolve(ADMIN_DIR).resolve("status"));
  }

  /**
   * @throws IOException when the status file cannot be read at all; anything less is a warning
   */
  public static PackageDatabase read(Path root) throws IOException {
    return new DpkgReader(root).read(null, true);
  }

  /**
   * Reads the database and, for the files in scope, the modes, owners and link targets from the
   * package archives in {@code debs} (dpkg itself keeps none of them).
   *
   * @param allFiles whether every file is in scope; otherwise only conffiles and ucf files are
   *     returned as {@link PackageFile}s (the rest count for ownership only, and their md5sums are
   *     not read)
   */
  public static PackageDatabase read(Path root, DebCache debs, boolean allFiles)
      throws IOException {
    return new DpkgReader(root).read(debs, allFiles);
  }

  private PackageDatabase read(DebCache debs, boolean allFiles) throws IOException {
    RootPaths paths = new RootPaths(root);
    Path admin = paths.followOrPlain("/" + ADMIN_DIR);
    Map<String, InstalledPackage> packages = new LinkedHashMap<>();
    String status = readText(admin.resolve("status"));
    for (InstalledPackage p : StatusParser.parse("/" + ADMIN_DIR + "/status", status, warnings)) {
      packages.put(p.key(), p);
    }
    applyUpdates(admin.resolve("updates"), packages);
    if (packages.isEmpty() && !status.isBlank()) {
      // Nothing readable in a non-empty database: every file would look unowned. That is a
      // failed scan (exit 2), not drift.
      throw new IOException(
          "/"
              + ADMIN_DIR
              + "/status: no package could be read"
              + (warnings.isEmpty() ? "" : "; first problem: " + warnings.get(0)));
    }

    Map<String, Diversion> diversions = new HashMap<>();
    for (Diversion d : optional(admin.resolve("diversions"), "diversions")) {
      diversions.put(d.from(), d);
    }
    Map<String, StatOverride> overrides = new HashMap<>();
    String so = readOptional(admin.resolve("statoverride"));
    if (so != null) {
      for (StatOverride o : StatOverride.parse("/" + ADMIN_DIR + "/statoverride", so, warnings)) {
        overrides.put(o.path(), o);
      }
    }

    Path info = admin.resolve("info");
    // Some 1,500 small files on a typical host: read them on every core.
    List<PackageFiles> perPackage =
        packages.values().parallelStream()
            .filter(InstalledPackage::hasFiles)
            .map(p -> filesOf(p, info, diversions, allFiles))
            .collect(Collectors.toList());
    List<PackageFile> files = new ArrayList<>();
    Set<String> owned = new HashSet<>();
    Set<String> conffilePaths = new HashSet<>();
    for (PackageFiles pf : perPackage) {
      files.addAll(pf.files());
      owned.addAll(pf.owned());
      conffilePaths.addAll(pf.conffiles());
    }
    for (Diversion d : diversions.values()) {
      owned.add(d.to());
    }

    addUcfFiles(packages, files, owned, conffilePaths);
    boolean metadata = debs != null && !debs.isEmpty();
    if (metadata) {
      metadata = attachArchiveMeta(packages, files, debs);
    }
    if (!overrides.isEmpty()) {
      applyOverrides(files, overrides);
    }

    return new PackageDatabase(
        PackageSource.DPKG,
        files,
        OwnedPaths.of(owned, aliasedDirs(root)),
        alternativeLinks(admin.resolve("alternatives")),
        warnings,
        metadata);
  }

  /**
   * Fills in metadata from each package's .deb, reading archives in parallel.
   *
   * @return whether every in-scope file's package archive was found
   */
  private boolean attachArchiveMeta(
      Map<String, InstalledPackage> packages, List<PackageFile> files, DebCache debs) {
    Map<String, InstalledPackage> byInfoName = new HashMap<>();
    for (InstalledPackage p : packages.values()) {
      byInfoName.put(p.infoName(), p);
    }
    Map<String, Set<String>> wanted = new TreeMap<>();
    for (PackageFile f : files) {
      if (!f.has(FileFlag.UCF)) {
        wanted.computeIfAbsent(f.pkg(), k -> new HashSet<>()).add(f.path());
      }
    }
    Map<String, Map<String, FileMeta>> metaByPkg = new ConcurrentHashMap<>();
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    wanted.entrySet().parallelStream()
        .forEach(
            e -> {
              InstalledPackage p = byInfoName.get(e.getKey());
              Optional<Path> deb = debs.find(p.name(), p.version(), p.arch());
              if (deb.isEmpty()) {
                missing.add(p.infoName() + "_" + p.version());
                return;
              }
              try {
                metaByPkg.put(e.getKey(), debs.meta(deb.get(), e.getValue()));
              } catch (IOException ex) {
                missing.add(p.infoName() + "_" + p.version());
                warnings.add(ex.getMessage());
              }
            });
    for (int i = 0; i < files.size(); i++) {
      PackageFile f = files.get(i);
      Map<String, FileMeta> m = metaByPkg.get(f.pkg());
      FileMeta meta = m == null ? null : m.get(f.path());
      if (meta != null) {
        files.set(i, f.withMeta(meta));
      }
    }
    if (!missing.isEmpty()) {
      Collections.sort(missing);
      warnings.add(
          "metadata (mode, owner, link target) not checked for "
              + missing.size()
              + " package(s) whose .deb is not at hand, e.g. "
              + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
    }
    return missing.isEmpty() && !wanted.isEmpty();
  }

  /** One package's files, the paths it owns and its conffiles. */
  private record PackageFiles(
      List<PackageFile> files, List<String> owned, List<String> conffiles) {}

  private PackageFiles filesOf(
      InstalledPackage p, Path info, Map<String, Diversion> diversions, boolean allFiles) {
    List<PackageFile> files = new ArrayList<>();
    List<String> owned = new ArrayList<>();
    List<String> conffilePaths = new ArrayList<>();
    Map<String, Conffile> conffiles = new HashMap<>();
    for (Conffile c : p.conffiles()) {
      conffiles.put(c.path(), c);
    }
    // Multi-Arch: same packages have arch-qualified info files; packages installed before
    // Multi-Arch have unqualified ones. Try the qualified name first, as dpkg does.
    String qualified = p.name() + ":" + p.arch();
    String listName = qualified + ".list";
    String list = readOptional(info.resolve(listName));
    if (list == null) {
      listName = p.name() + ".list";
      list = readOptional(info.resolve(listName));
    }
    Map<String, Digest> md5 = Map.of();
    if (allFiles) {
      String md5Name = qualified + ".md5sums";
      String md5Text = readOptional(info.resolve(md5Name));
      if (md5Text == null) {
        md5Name = p.name() + ".md5sums";
        md5Text = readOptional(info.resolve(md5Name));
      }
      if (md5Text != null) {
        md5 = Md5sums.parse("/" + ADMIN_DIR + "/info/" + md5Name, md5Text, warnings);
      }
    }
    if (list == null && !p.state().equals("config-files")) {
      warnings.add(
          "/"
              + ADMIN_DIR
              + "/info/"
              + listName
              + ": missing; package "
              + p.infoName()
              + " ("
              + p.state()
              + ") has no file list, only its conffiles are checked");
    }
    Set<String> seen = new HashSet<>();
    if (list != null) {
      for (String path : list.split("\n")) {
        if (path.isEmpty() || path.equals("/.") || !seen.add(path)) {
          continue;
        }
        owned.add(path);
        Conffile c = conffiles.get(path);
        Set<FileFlag> flags = EnumSet.noneOf(FileFlag.class);
        Digest digest;
        if (c != null && !c.obsolete()) {
          flags.add(FileFlag.CONFIG);
          if (c.removeOnUpgrade()) {
            flags.add(FileFlag.REMOVE_ON_UPGRADE);
          }
          digest = c.md5();
          conffilePaths.add(path);
        } else if (allFiles) {
          digest = md5.get(path);
        } else {
          continue;
        }
        files.add(packageFile(p, path, digest, flags, diversions));
      }
    }
    for (Conffile c : p.conffiles()) {
      owned.add(c.path());
      conffilePaths.add(c.path());
      if (seen.contains(c.path())) {
        continue;
      }
      // Not in the file list: obsolete, due for removal, never configured (newconffile), or left
      // by a removed package. dpkg --verify checks none of them; we check only the last kind.
      if (c.obsolete() || c.removeOnUpgrade() || c.md5() == null) {
        continue;
      }
      files.add(packageFile(p, c.path(), c.md5(), EnumSet.of(FileFlag.CONFIG), diversions));
    }
    return new PackageFiles(files, owned, conffilePaths);
  }

  private static PackageFile packageFile(
      InstalledPackage p,
      String path,
      Digest digest,
      Set<FileFlag> flags,
      Map<String, Diversion> diversions) {
    Diversion d = diversions.get(path);
    String actual = d != null && d.applies(p.name()) ? d.to() : path;
    return new PackageFile(
        path, p.infoName(), p.version(), digest, flags, FileMeta.UNKNOWN, actual);
  }

  private void addUcfFiles(
      Map<String, InstalledPackage> packages,
      List<PackageFile> files,
      Set<String> owned,
      Set<String> conffilePaths)
      throws IOException {
    RootPaths paths = new RootPaths(root);
    String hashfile = readOptional(paths.followOrPlain("/var/lib/ucf/hashfile"));
    if (hashfile == null) {
      return;
    }
    String registry = readOptional(paths.followOrPlain("/var/lib/ucf/registry"));
    Map<String, String> versions = new HashMap<>();
    for (InstalledPackage p : packages.values()) {
      versions.putIfAbsent(p.name(), p.version());
    }
    for (UcfEntry e : UcfEntry.parse(hashfile, registry == null ? "" : registry, warnings)) {
      owned.add(e.path());
      if (conffilePaths.contains(e.path())) {
        continue;
      }
      String pkg = e.pkg() == null ? "ucf" : e.pkg();
      files.add(
          new PackageFile(
              e.path(),
              pkg,
              versions.getOrDefault(pkg, ""),
              e.md5(),
              EnumSet.of(FileFlag.CONFIG, FileFlag.UCF),
              FileMeta.UNKNOWN,
              null));
    }
  }

  private static void applyOverrides(List<PackageFile> files, Map<String, StatOverride> overrides) {
    for (int i = 0; i < files.size(); i++) {
      PackageFile f = files.get(i);
      StatOverride o = overrides.get(f.path());
      if (o != null) {
        files.set(i, f.withMeta(f.meta().withOwner(o.user(), o.group(), o.permissions() & 07777)));
      }
    }
  }

  /** Applies the pending journal: each numbered file's stanzas replace the status entries. */
  private void applyUpdates(Path updates, Map<String, InstalledPackage> packages)
      throws IOException {
    if (!Files.isDirectory(updates)) {
      return;
    }
    TreeMap<Long, Path> journal = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(updates)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 18) {
          journal.put(Long.parseLong(n), p);
        }
      }
    }
    for (Path p : journal.values()) {
      String name = "/" + ADMIN_DIR + "/updates/" + p.getFileName();
      for (InstalledPackage u : StatusParser.parse(name, readText(p), warnings)) {
        packages.put(u.key(), u);
      }
    }
  }

  private List<Diversion> optional(Path file, String name) throws IOException {
    String text = readOptional(file);
    if (text == null) {
      return List.of();
    }
    try {
      return Diversion.parse("/" + ADMIN_DIR + "/" + name, text);
    } catch (DpkgParseException e) {
      warnings.add(e.getMessage() + "; diversions ignored");
      return List.of();
    }
  }

  private Set<String> alternativeLinks(Path dir) throws IOException {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String text = readOptional(p);
        if (text != null) {
          out.addAll(Alternatives.managedLinks(p.getFileName().toString(), text));
        }
      }
    }
    return out;
  }

  /** The merged-/usr directories that are symlinks on this root. */
  public static Set<String> aliasedDirs(Path root) {
    Set<String> out = new HashSet<>();
    for (String d : OwnedPaths.MERGED_USR_DIRS) {
      if (Files.isSymbolicLink(root.resolve(d.substring(1)))) {
        out.add(d);
      }
    }
    return out;
  }

  private static String readText(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }

  private String readOptional(Path p) {
    try {
      return readText(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      warnings.add(p + ": unreadable (" + e.getMessage() + ")");
      return null;
    }
  }
}
