package io.kickdrift.agent.pkgdb.dpkg;

import java.util.ArrayList;
import java.util.List;

/** Turns status-file stanzas into {@link InstalledPackage}s, warning on what it must skip. */
final class StatusParser {
  private StatusParser() {}

  static List<InstalledPackage> parse(String file, String text, List<String> warnings) {
    List<InstalledPackage> out = new ArrayList<>();
    for (Stanza s : ControlParser.parse(file, text, warnings)) {
      InstalledPackage p = toPackage(file, s, warnings);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  static InstalledPackage toPackage(String file, Stanza s, List<String> warnings) {
    String name = s.get("Package");
    if (name == null || name.isEmpty()) {
      warnings.add(file + ":" + s.line() + ": stanza without a Package field skipped");
      return null;
    }
    String status = s.get("Status");
    String[] words = status == null ? new String[0] : status.trim().split("\\s+");
    if (words.length != 3) {
      warnings.add(
          file
              + ":"
              + s.line()
              + ": package "
              + name
              + ": expected 'Status: want flag state', got '"
              + status
              + "'; skipped");
      return null;
    }
    String arch = s.get("Architecture");
    String multiArch = s.get("Multi-Arch");
    String version = s.get("Version");
    List<Conffile> conffiles = new ArrayList<>();
    String cf = s.get("Conffiles");
    if (cf != null) {
      int n = 0;
      for (String line : cf.split("\n")) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        Conffile c = Conffile.parse(line);
        if (c == null) {
          warnings.add(
              file
                  + ":"
                  + (s.lineOf("Conffiles") + n - 1)
                  + ": package "
                  + name
                  + ": conffile line '"
                  + ControlParser.abbreviate(line.strip())
                  + "' is not '<path> <md5> [flags]'; skipped");
        } else {
          conffiles.add(c);
        }
      }
    }
    return new InstalledPackage(
        name,
        arch == null ? "" : arch,
        "same".equals(multiArch),
        version == null ? "" : version,
        words[2],
        List.copyOf(conffiles),
        s.line());
  }
}
