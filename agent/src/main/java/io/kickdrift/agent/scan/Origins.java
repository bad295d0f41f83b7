package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.scan.Finding.Origin;
import io.kickdrift.agent.scan.Observations.Listed;
import io.kickdrift.agent.scan.Observations.Stat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which findings are not a person's change: files that maintainer scripts of installed packages
 * create (start links from update-rc.d, enablement links deb-systemd-helper recorded, the built-in
 * list in {@code default-generated.txt}) are {@link Origin.Kind#GENERATED}; owner, group and mode
 * changes a package's own {@code postinst} makes are {@link Origin.Kind#MAINTAINER}. Part of the
 * {@link ScanPipeline}, so the agent and the agentless scan classify alike.
 */
final class Origins {
  static final String RESOURCE = "default-generated.txt";

  /** A rule qualifier: the file counts as generated only while it is empty. */
  private static final String IF_EMPTY = "[if-empty]";

  /** deb-systemd-helper's record of each enablement link it made, mirroring /etc/systemd/system. */
  static final String DSH_SYSTEM = "/var/lib/systemd/deb-systemd-helper-enabled/";

  static final String DSH_USER = "/var/lib/systemd/deb-systemd-helper-user-enabled/";

  private static final Pattern RC_LINK = Pattern.compile("/etc/rc[0-6S]\\.d/[SK]\\d\\d(.+)");
  private static final Set<Problem> METADATA =
      EnumSet.of(Problem.MODE, Problem.OWNER, Problem.GROUP);

  private final GlobRules generated;
  private final Map<String, String> reasons;
  private final Set<String> emptyOnly;

  private Origins(GlobRules generated, Map<String, String> reasons, Set<String> emptyOnly) {
    this.generated = generated;
    this.reasons = reasons;
    this.emptyOnly = emptyOnly;
  }

  /** The built-in list of generated files, {@value #RESOURCE} beside the scanner. */
  static Origins builtIn() {
    try (InputStream in = Origins.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("built-in rules " + RESOURCE + " missing from the jar");
      }
      return parse(
          "(built-in " + RESOURCE + ")", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in " + RESOURCE, e);
    }
  }

  /**
   * Lines {@code GLOB -- REASON}; comments and blank lines as in ignore files.
   *
   * @throws IllegalArgumentException naming {@code source:line} for a line without a reason
   */
  static Origins parse(String source, String text) {
    StringBuilder globs = new StringBuilder();
    Map<String, String> reasons = new HashMap<>();
    Set<String> emptyOnly = new HashSet<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        globs.append('\n');
        continue;
      }
      int sep = line.indexOf(" -- ");
      if (sep < 0 || line.substring(sep + 4).isBlank()) {
        throw new IllegalArgumentException(
            source + ":" + n + ": expected 'GLOB -- REASON', got '" + line + "'");
      }
      String glob = line.substring(0, sep).strip();
      boolean ifEmpty = glob.endsWith(IF_EMPTY);
      if (ifEmpty) {
        glob = glob.substring(0, glob.length() - IF_EMPTY.length()).strip();
        emptyOnly.add(stripDirSlash(glob));
      }
      globs.append(glob).append('\n');
      reasons.put(stripDirSlash(glob), line.substring(sep + 4).strip());
    }
    return new Origins(GlobRules.parse(source, globs.toString()), reasons, emptyOnly);
  }

  private static String stripDirSlash(String glob) {
    return glob.endsWith("/") && glob.length() > 1 ? glob.substring(0, glob.length() - 1) : glob;
  }

  /**
   * {@code findings} with an {@link Origin} on each that a package's scripts account for; what the
   * md5sums and postinsts of every package answer is looked up in {@code memo} first, and kept
   * there.
   */
  List<Finding> classify(
      List<Finding> findings, PackageDatabase db, Observations source, OriginsMemo memo)
      throws IOException {
    Evidence e = new Evidence(db);
    Set<String> probes = new LinkedHashSet<>();
    Set<String> texts = new LinkedHashSet<>();
    for (Finding f : findings) {
      if (generated.match(f.path(), false) != null) {
        continue;
      }
      String rec = dshRecord(f);
      if (rec != null) {
        probes.add(rec);
      }
      rec = apacheRecord(f);
      if (rec != null) {
        probes.add(rec);
      }
      if (maintainerCandidate(f)) {
        texts.add(postinst(f.pkg()));
      }
      if (AccountFiles.PATHS.contains(f.path()) && f.status() == Status.UNOWNED) {
        texts.addAll(AccountFiles.PATHS);
      }
    }
    e.present = probes.isEmpty() ? Map.of() : source.lstat(probes);
    e.texts = texts.isEmpty() ? Map.of() : source.readTexts(texts);
    List<Finding> out = new ArrayList<>(findings.size());
    List<Integer> copyCandidates = new ArrayList<>();
    List<Integer> enabledLinks = new ArrayList<>();
    for (Finding f : findings) {
      Origin o = origin(f, e);
      if (o == null && copyCandidate(f)) {
        copyCandidates.add(out.size());
      }
      if (o == null && (dshRecord(f) != null || apacheRecord(f) != null)) {
        enabledLinks.add(out.size());
      }
      out.add(o == null ? f : f.withOrigin(o));
    }
    if (copyCandidates.isEmpty() && enabledLinks.isEmpty()) {
      return out;
    }
    InfoFiles info = new InfoFiles(source);
    if (!enabledLinks.isEmpty()) {
      markEnabled(out, enabledLinks, info, memo);
    }
    if (!copyCandidates.isEmpty()) {
      markCopies(out, copyCandidates, info, source, memo);
    }
    return out;
  }

  /**
   * dpkg's info files, listed and read only when a question is not in the memo: on a repeat scan of
   * an unchanged database, never.
   */
  private static final class InfoFiles {
    private final Observations source;
    private List<String> listing;
    private final Map<String, Map<String, String>> bySuffix = new HashMap<>();

    InfoFiles(Observations source) {
      this.source = source;
    }

    /** The texts of the info files ending in {@code suffix}, by package name. */
    Map<String, String> read(String suffix) throws IOException {
      Map<String, String> texts = bySuffix.get(suffix);
      if (texts == null) {
        if (listing == null) {
          listing = new ArrayList<>();
          for (Listed l : source.list(List.of(INFO), d -> false, new ArrayList<>())) {
            if (l.exists() && l.failure() == null && l.path().startsWith(INFO + "/")) {
              listing.add(l.path());
            }
          }
        }
        texts = readAll(source, listing, suffix);
        bySuffix.put(suffix, texts);
      }
      return texts;
    }
  }

  private static final String INFO = "/var/lib/dpkg/info";

  /** Templates maintainer scripts copy are small; larger unowned files are not compared. */
  private static final long MAX_COPY_BYTES = 1 << 20;

  private static String md5(String latin1) {
    try {
      return Digest.of(
              DigestAlgorithm.MD5,
              MessageDigest.getInstance("MD5").digest(latin1.getBytes(StandardCharsets.ISO_8859_1)))
          .hex();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  /** The texts of dpkg's info files ending in {@code suffix}, by package name. */
  private static Map<String, String> readAll(Observations source, List<String> info, String suffix)
      throws IOException {
    List<String> wanted = info.stream().filter(p -> p.endsWith(suffix)).toList();
    Map<String, String> byPkg = new java.util.TreeMap<>();
    for (Map.Entry<String, String> t : source.readTexts(wanted).entrySet()) {
      String name = t.getKey().substring(INFO.length() + 1);
      byPkg.put(name.substring(0, name.length() - suffix.length()), t.getValue());
    }
    return byPkg;
  }

  /** Enablement links a postinst makes itself (systemctl enable, a2ensite) without a record. */
  private static void markEnabled(
      List<Finding> out, List<Integer> links, InfoFiles info, OriginsMemo memo) throws IOException {
    for (int i : links) {
      Finding f = out.get(i);
      String name = f.path().substring(f.path().lastIndexOf('/') + 1);
      if (apacheRecord(f) != null) {
        name = name.replaceFirst("\\.(load|conf)$", "");
      }
      Optional<String> known = memo.get(OriginsMemo.ENABLED, name);
      String reason = known != null ? known.orElse(null) : null;
      if (known == null) {
        for (Map.Entry<String, String> s : info.read(".postinst").entrySet()) {
          String line = PostinstLines.enabling(s.getValue(), name);
          if (line != null) {
            reason = "enablement link " + s.getKey() + "'s postinst makes: " + line;
            break;
          }
        }
        memo.put(OriginsMemo.ENABLED, name, reason);
      }
      if (reason != null) {
        out.set(i, f.withOrigin(new Origin(Origin.Kind.GENERATED, reason)));
      }
    }
  }

  private static final Pattern LSB_LEVELS =
      Pattern.compile("(?m)^#\\s*Default-(Start|Stop):[ \\t]*(.*)$");

  /**
   * The enablement links a package's scripts made that are gone, each a {@code missing} finding:
   * start/stop links of a packaged init script that has links in some runlevels (update-rc.d ran)
   * but none in another its LSB header names, and systemd links deb-systemd-helper recorded that
   * are no longer there (a {@code systemctl disable} by hand). {@code findings} are those of the
   * scan before hiding, where the links that exist are unowned findings.
   */
  List<Finding> missingLinks(List<Finding> findings, PackageDatabase db, Observations source)
      throws IOException {
    Map<String, String> initScripts = new Evidence(db).initScripts;
    Map<String, Map<String, String>> linksByScript = new HashMap<>(); // name -> level -> link name
    for (Finding f : findings) {
      Matcher rc = RC_LINK.matcher(f.path());
      if (f.status() == Status.UNOWNED && rc.matches()) {
        String level = f.path().substring("/etc/rc".length(), "/etc/rc".length() + 1);
        String name = f.path().substring(f.path().lastIndexOf('/') + 1);
        linksByScript.computeIfAbsent(rc.group(1), k -> new HashMap<>()).put(level, name);
      }
    }
    List<Finding> out = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    for (String name : linksByScript.keySet()) {
      if (initScripts.containsKey("/etc/init.d/" + name)) {
        scripts.add("/etc/init.d/" + name);
      }
    }
    Map<String, String> texts = scripts.isEmpty() ? Map.of() : source.readTexts(scripts);
    for (String script : scripts) {
      String text = texts.get(script);
      if (text == null) {
        continue;
      }
      String name = script.substring("/etc/init.d/".length());
      Map<String, String> have = linksByScript.get(name);
      Matcher m = LSB_LEVELS.matcher(text);
      while (m.find()) {
        char kind = m.group(1).equals("Start") ? 'S' : 'K';
        for (String level : m.group(2).trim().split("\\s+")) {
          if (level.length() != 1 || have.containsKey(level)) {
            continue;
          }
          String number = "01";
          for (String link : have.values()) {
            if (link.charAt(0) == kind) {
              number = link.substring(1, 3);
            }
          }
          out.add(
              missingLink(
                  "/etc/rc" + level + ".d/" + kind + number + name,
                  initScripts.get(script),
                  "update-rc.d made links for "
                      + script
                      + " in other runlevels; its LSB header names runlevel "
                      + level
                      + " and that link is gone"));
        }
      }
    }
    out.addAll(disabledUnits(source));
    return out;
  }

  /** Systemd links deb-systemd-helper recorded that are gone. */
  private static List<Finding> disabledUnits(Observations source) throws IOException {
    List<String> expected = new ArrayList<>();
    for (Listed l :
        source.list(
            List.of(DSH_SYSTEM.substring(0, DSH_SYSTEM.length() - 1)),
            d -> false,
            new ArrayList<>())) {
      if (l.exists() && l.failure() == null && l.path().startsWith(DSH_SYSTEM)) {
        String rel = l.path().substring(DSH_SYSTEM.length());
        // Only links in a .wants or .requires directory; top-level entries are aliases and notes.
        if (rel.contains(".wants/") || rel.contains(".requires/")) {
          expected.add("/etc/systemd/system/" + rel);
        }
      }
    }
    if (expected.isEmpty()) {
      return List.of();
    }
    Map<String, Stat> found = source.lstat(expected);
    List<Finding> out = new ArrayList<>();
    for (String link : expected) {
      if (!found.containsKey(link)) {
        out.add(
            missingLink(
                link,
                null,
                "deb-systemd-helper enabled it ("
                    + DSH_SYSTEM
                    + link.substring("/etc/systemd/system/".length())
                    + "); the link is gone: disabled by hand"));
      }
    }
    return out;
  }

  private static Finding missingLink(String path, String pkg, String note) {
    return new Finding(
        path, Status.MISSING, Set.of(), Set.of(), pkg, null, false, null, null, null, null, note);
  }

  /** What the rules look up, read once per scan. */
  private static final class Evidence {
    final Map<String, String> initScripts = new HashMap<>();
    final PackageDatabase db;
    Map<String, Stat> present = Map.of();
    Map<String, String> texts = Map.of();

    Evidence(PackageDatabase db) {
      this.db = db;
      for (PackageFile f : db.files()) {
        if (f.path().startsWith("/etc/init.d/")) {
          initScripts.putIfAbsent(f.path(), f.pkg());
        }
      }
    }

    boolean exists(String abs) {
      Stat st = present.get(abs);
      return st != null && st.failure() == null;
    }
  }

  private static String postinst(String pkg) {
    return "/var/lib/dpkg/info/" + pkg + ".postinst";
  }

  private Origin origin(Finding f, Evidence e) {
    if (f.status() != Status.UNOWNED && f.status() != Status.MODIFIED) {
      return null; // a missing or unreadable file is never what a script left behind
    }
    String rule = generated.match(f.path(), false);
    if (rule != null && (!emptyOnly.contains(rule) || empty(f))) {
      return new Origin(Origin.Kind.GENERATED, reasons.get(rule) + " (" + rule + ")");
    }
    if (mergedUsrLink(f, e.db)) {
      return new Origin(
          Origin.Kind.GENERATED,
          "merged /usr: the installer (debootstrap) or usrmerge made "
              + f.path()
              + " a link to "
              + f.actual().linkTarget());
    }
    if (f.status() == Status.UNOWNED && isLink(f)) {
      Origin link = linkOrigin(f, e);
      if (link != null) {
        return link;
      }
    }
    if (f.status() == Status.UNOWNED && AccountFiles.PATHS.contains(f.path())) {
      String why = AccountFiles.systemOnly(f.path(), e.texts);
      if (why != null) {
        return new Origin(Origin.Kind.GENERATED, why);
      }
    }
    if (maintainerCandidate(f)) {
      String script = e.texts.get(postinst(f.pkg()));
      String line = script == null ? null : PostinstLines.naming(script, f.path(), f.problems());
      if (line != null) {
        return new Origin(Origin.Kind.MAINTAINER, f.pkg() + "'s postinst sets it: " + line);
      }
    }
    return null;
  }

  private Origin linkOrigin(Finding f, Evidence e) {
    String target = f.actual().linkTarget();
    Matcher rc = RC_LINK.matcher(f.path());
    if (rc.matches()) {
      String script = "/etc/init.d/" + rc.group(1);
      String pkg = e.initScripts.get(script);
      if (pkg != null && (target.equals("../init.d/" + rc.group(1)) || target.equals(script))) {
        return new Origin(
            Origin.Kind.GENERATED,
            "start/stop link update-rc.d made for " + script + " of package " + pkg);
      }
    }
    String rec = dshRecord(f);
    if (rec != null && e.exists(rec)) {
      return new Origin(
          Origin.Kind.GENERATED, "systemd enablement link deb-systemd-helper recorded in " + rec);
    }
    rec = apacheRecord(f);
    if (rec != null && e.exists(rec)) {
      return new Origin(
          Origin.Kind.GENERATED,
          "enabled by apache2's maintainer scripts (a2enmod/a2enconf/a2ensite in maintainer mode),"
              + " recorded in "
              + rec);
    }
    return null;
  }

  private static final Pattern APACHE_LINK =
      Pattern.compile("/etc/apache2/(mods|conf|sites)-enabled/([^/]+?)(?:\\.load|\\.conf)");

  /** Where apache2's a2enmod/a2enconf/a2ensite record what maintainer scripts enabled. */
  private static String apacheRecord(Finding f) {
    if (f.status() != Status.UNOWNED || !isLink(f)) {
      return null;
    }
    Matcher m = APACHE_LINK.matcher(f.path());
    if (!m.matches()) {
      return null;
    }
    String kind =
        switch (m.group(1)) {
          case "mods" -> "module";
          case "conf" -> "conf";
          default -> "site";
        };
    return "/var/lib/apache2/" + kind + "/enabled_by_maint/" + m.group(2);
  }

  private static boolean empty(Finding f) {
    return f.actual() != null && f.actual().size() != null && f.actual().size() == 0;
  }

  /**
   * An unowned non-empty regular file: it may be a template a postinst copied unchanged. Never a
   * secret: a packaged private key copied into /etc is someone's choice to use it.
   */
  private static boolean copyCandidate(Finding f) {
    return f.status() == Status.UNOWNED
        && f.secret() == null
        && f.actual() != null
        && "regular".equals(f.actual().type())
        && f.actual().size() != null
        && f.actual().size() > 0;
  }

  /**
   * Marks the unowned files whose content is, byte for byte, a file a package installed
   * (base-files' {@code /usr/share/base-files/profile} copied to {@code /etc/profile} by its
   * postinst): nothing in them is a local choice. Compared by the md5 dpkg records in {@code
   * info/PKG.md5sums}.
   */
  private static void markCopies(
      List<Finding> out,
      List<Integer> candidates,
      InfoFiles info,
      Observations source,
      OriginsMemo memo)
      throws IOException {
    // Read apart from the stat cache, which keeps one digest per file (SHA-256 for unowned files).
    Map<String, Integer> at = new HashMap<>();
    for (int i : candidates) {
      if (out.get(i).actual().size() <= MAX_COPY_BYTES) {
        at.put(out.get(i).path(), i);
      }
    }
    Map<String, String> texts = source.readTexts(at.keySet());
    Map<String, String> packaged = null;
    for (Map.Entry<String, String> t : texts.entrySet()) {
      String md5 = md5(t.getValue());
      Optional<String> known = memo.get(OriginsMemo.COPY, md5);
      String of = known != null ? known.orElse(null) : null;
      if (known == null) {
        if (packaged == null) {
          packaged = packagedByMd5(info.read(".md5sums"));
        }
        of = packaged.get(md5);
        memo.put(OriginsMemo.COPY, md5, of);
      }
      if (of != null) {
        int i = at.get(t.getKey());
        out.set(
            i,
            out.get(i)
                .withOrigin(
                    new Origin(
                        Origin.Kind.GENERATED,
                        "an unchanged copy of " + of + ", as its maintainer script installs it")));
      }
    }
  }

  /** Every md5 the packages' {@code md5sums} list, with the first file (by package) that has it. */
  private static Map<String, String> packagedByMd5(Map<String, String> md5sums) {
    Map<String, String> packaged = new HashMap<>();
    for (Map.Entry<String, String> t : md5sums.entrySet()) {
      for (String line : t.getValue().split("\n")) {
        if (line.length() > 34 && line.charAt(32) == ' ') {
          packaged.putIfAbsent(
              line.substring(0, 32), "/" + line.substring(34) + " of " + t.getKey());
        }
      }
    }
    return packaged;
  }

  /** A packaged top directory such as /bin found as the link merged-/usr makes of it. */
  private static boolean mergedUsrLink(Finding f, PackageDatabase db) {
    return f.status() == Status.MODIFIED
        && f.problems().equals(EnumSet.of(Problem.TYPE))
        && db.owned().aliasedDirs().contains(f.path())
        && f.actual() != null
        && "symlink".equals(f.actual().type())
        && f.expected() != null
        && "directory".equals(f.expected().type());
  }

  private static boolean isLink(Finding f) {
    return f.actual() != null
        && "symlink".equals(f.actual().type())
        && f.actual().linkTarget() != null;
  }

  /** Where deb-systemd-helper records the link {@code f}, when it is one under systemd's /etc. */
  private static String dshRecord(Finding f) {
    if (f.status() != Status.UNOWNED || !isLink(f)) {
      return null;
    }
    if (f.path().startsWith("/etc/systemd/system/")) {
      return DSH_SYSTEM + f.path().substring("/etc/systemd/system/".length());
    }
    if (f.path().startsWith("/etc/systemd/user/")) {
      return DSH_USER + f.path().substring("/etc/systemd/user/".length());
    }
    return null;
  }

  /** A packaged file whose only differences are ones a postinst chown/chgrp/chmod can make. */
  private static boolean maintainerCandidate(Finding f) {
    return f.status() == Status.MODIFIED
        && f.pkg() != null
        && !f.problems().isEmpty()
        && METADATA.containsAll(f.problems());
  }
}
