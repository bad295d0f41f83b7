package io.kickdrift.agent.pkgdb.dpkg;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file ucf manages (this is how {@code /etc/ssh/sshd_config} is tracked on Debian):
 * the package that registered it and the md5 of the maintainer's version it last installed.
 */
record UcfEntry(String path, String pkg, Digest md5) {

  /**
   * Joins {@code /var/lib/ucf/hashfile} ({@code <md5> <path>}) and {@code registry} ({@code
   * <package> <path>}).
   */
  static List<UcfEntry> parse(String hashfile, String registry, List<String> warnings) {
    Map<String, String> owner = new HashMap<>();
    int n = 0;
    for (String line : registry.split("\n")) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp <= 0) {
        warnings.add("/var/lib/ucf/registry:" + n + ": expected '<package> <path>'; skipped");
        continue;
      }
      owner.put(line.substring(sp + 1).strip(), line.substring(0, sp));
    }
    List<UcfEntry> out = new ArrayList<>();
    n = 0;
    for (String line : hashfile.split("\n")) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      int sp = line.indexOf(' ');
      String hash = sp < 0 ? line : line.substring(0, sp);
      String path = sp < 0 ? "" : line.substring(sp).strip();
      if (!Digest.isValid(DigestAlgorithm.MD5, hash) || !path.startsWith("/")) {
        warnings.add("/var/lib/ucf/hashfile:" + n + ": expected '<md5>  <path>'; skipped");
        continue;
      }
      out.add(new UcfEntry(path, owner.get(path), Digest.of(DigestAlgorithm.MD5, hash)));
    }
    return out;
  }
}
