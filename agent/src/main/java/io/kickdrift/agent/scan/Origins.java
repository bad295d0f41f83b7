package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.scan.Finding.Origin;
import io.kickdrift.agent.scan.Observations.Stat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

  /** deb-systemd-helper's record of each enablement link it made, mirroring /etc/systemd/system. */
  static final String DSH_SYSTEM = "/var/lib/systemd/deb-systemd-helper-enabled/";

  static final String DSH_USER = "/var/lib/systemd/deb-systemd-helper-user-enabled/";

  private static final Pattern RC_LINK = Pattern.compile("/etc/rc[0-6S]\\.d/[SK]\\d\\d(.+)");
  private static final Set<Problem> METADATA =
      EnumSet.of(Problem.MODE, Problem.OWNER, Problem.GROUP);

  private final GlobRules generated;
  private final Map<String, String> reasons;

  private Origins(GlobRules generated, Map<String, String> reasons) {
    this.generated = generated;
    this.reasons = reasons;
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
      globs.append(glob).append('\n');
      reasons.put(stripDirSlash(glob), line.substring(sep + 4).strip());
    }
    return new Origins(GlobRules.parse(source, globs.toString()), reasons);
  }

  private static String stripDirSlash(String glob) {
    return glob.endsWith("/") && glob.length() > 1 ? glob.substring(0, glob.length() - 1) : glob;
  }

  /** {@code findings} with an {@link Origin} on each that a package's scripts account for. */
  List<Finding> classify(List<Finding> findings, PackageDatabase db, Observations source)
      throws IOException {
    Map<String, String> initScripts = new HashMap<>();
    Set<String> maintained = new LinkedHashSet<>();
    for (PackageFile f : db.files()) {
      if (f.path().startsWith("/etc/init.d/")) {
        initScripts.putIfAbsent(f.path(), f.pkg());
      }
    }
    Set<String> records = new LinkedHashSet<>();
    for (Finding f : findings) {
      String rec = dshRecord(f);
      if (rec != null) {
        records.add(rec);
      }
      if (maintainerCandidate(f)) {
        maintained.add(f.pkg());
      }
    }
    Map<String, Stat> recorded = records.isEmpty() ? Map.of() : source.lstat(records);
    Map<String, String> scripts =
        maintained.isEmpty() ? Map.of() : source.postinstScripts(maintained);
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Origin o = origin(f, initScripts, recorded, scripts);
      out.add(o == null ? f : f.withOrigin(o));
    }
    return out;
  }

  private Origin origin(
      Finding f,
      Map<String, String> initScripts,
      Map<String, Stat> recorded,
      Map<String, String> scripts) {
    if (f.status() != Status.UNOWNED && f.status() != Status.MODIFIED) {
      return null; // a missing or unreadable file is never what a script left behind
    }
    String rule = generated.match(f.path(), false);
    if (rule != null) {
      return new Origin(Origin.Kind.GENERATED, reasons.get(rule) + " (" + rule + ")");
    }
    if (f.status() == Status.UNOWNED && isLink(f)) {
      Matcher rc = RC_LINK.matcher(f.path());
      if (rc.matches()) {
        String script = "/etc/init.d/" + rc.group(1);
        String target = f.actual().linkTarget();
        String pkg = initScripts.get(script);
        if (pkg != null && (target.equals("../init.d/" + rc.group(1)) || target.equals(script))) {
          return new Origin(
              Origin.Kind.GENERATED,
              "start/stop link update-rc.d made for " + script + " of package " + pkg);
        }
      }
      String rec = dshRecord(f);
      if (rec != null && recorded.get(rec) != null && recorded.get(rec).failure() == null) {
        return new Origin(
            Origin.Kind.GENERATED, "systemd enablement link deb-systemd-helper recorded in " + rec);
      }
    }
    if (maintainerCandidate(f) && scripts.containsKey(f.pkg())) {
      String line = PostinstLines.naming(scripts.get(f.pkg()), f.path());
      if (line != null) {
        return new Origin(Origin.Kind.MAINTAINER, f.pkg() + "'s postinst sets it: " + line);
      }
    }
    return null;
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
