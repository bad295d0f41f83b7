package io.kickdrift.agent.scan.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import io.kickdrift.agent.pkgdb.deb.DebArchive;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.Test;

/**
 * False positives of the built-in rules, measured on the conffiles of common Debian server
 * packages, read straight from their .debs ({@code .ci/fetch-test-debs} puts them in {@code
 * $KICKDRIFT_TEST_DEBS}, default /var/cache/kickdrift-test/debs) and scanned as if an admin had
 * modified them. A stock conffile holds no secret of its host, so every line found counts against
 * the rules (the example secrets upstream ships, such as freeradius's {@code testing123}, too:
 * docs/secrets.md says why they are found). The table and every line found are written to
 * target/secret-false-positives.md for docs/secrets.md.
 */
class SecretFalsePositivesIT {
  private static final int MIN_PACKAGES = 20;
  private static final double MAX_RATE = 0.01;

  @Test
  void fewerThanOnePercentOfConffileLinesAreFound() throws IOException {
    Path dir =
        Path.of(
            System.getenv().getOrDefault("KICKDRIFT_TEST_DEBS", "/var/cache/kickdrift-test/debs"));
    assertThat(dir)
        .as("%s holds the .debs of .ci/fetch-test-debs; run it first", dir)
        .isDirectory();
    Map<String, Path> debs = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".deb"))
          .sorted()
          .forEach(p -> debs.putIfAbsent(p.getFileName().toString().split("_")[0], p));
    }
    assertThat(debs.size())
        .as("packages in %s (run .ci/fetch-test-debs)", dir)
        .isGreaterThanOrEqualTo(MIN_PACKAGES);

    InlineSecrets secrets = InlineSecrets.builtIn();
    StringBuilder table = new StringBuilder();
    StringBuilder found = new StringBuilder();
    table.append("| package | conffiles | lines | lines found |\n|---|---:|---:|---:|\n");
    long totalLines = 0;
    long totalFound = 0;
    int totalFiles = 0;
    int withConffiles = 0;
    for (Map.Entry<String, Path> deb : debs.entrySet()) {
      Set<String> conffiles = conffiles(deb.getValue());
      Map<String, byte[]> contents = DebArchive.contents(deb.getValue(), conffiles, 4 << 20);
      long lines = 0;
      Set<String> foundLines = new LinkedHashSet<>();
      for (Map.Entry<String, byte[]> f : new TreeMap<>(contents).entrySet()) {
        String text = new String(f.getValue(), StandardCharsets.ISO_8859_1);
        lines += text.lines().count();
        String[] textLines = text.split("\n", -1);
        for (SecretMatch m : secrets.find(f.getKey(), f.getValue())) {
          int last =
              m.line()
                  + (int) text.substring(m.start(), m.end()).chars().filter(c -> c == '\n').count();
          for (int l = m.line(); l <= last; l++) {
            if (foundLines.add(f.getKey() + ":" + l)) {
              found
                  .append("- `")
                  .append(f.getKey())
                  .append(':')
                  .append(l)
                  .append("`: ")
                  .append(m.rule())
                  .append(m.key() == null ? "" : " " + m.key())
                  .append(" — `")
                  .append(textLines[l - 1].strip().replace("`", "'"))
                  .append("`\n");
            }
          }
        }
      }
      if (!contents.isEmpty()) {
        withConffiles++;
      }
      totalFiles += contents.size();
      totalLines += lines;
      totalFound += foundLines.size();
      table
          .append("| ")
          .append(deb.getKey())
          .append(" | ")
          .append(contents.size())
          .append(" | ")
          .append(lines)
          .append(" | ")
          .append(foundLines.size())
          .append(" |\n");
    }
    double rate = (double) totalFound / totalLines;
    table
        .append("| **")
        .append(debs.size())
        .append(" packages** | ")
        .append(totalFiles)
        .append(" | ")
        .append(totalLines)
        .append(" | ")
        .append(totalFound)
        .append(String.format(" (%.3f%%) |%n", rate * 100));
    String report = table + "\nLines found:\n\n" + found;
    System.out.println(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/secret-false-positives.md"), report);
    assertThat(withConffiles).as("packages with conffiles").isGreaterThanOrEqualTo(MIN_PACKAGES);
    assertThat(rate)
        .as("share of conffile lines found (see the report above)")
        .isLessThan(MAX_RATE);
  }

  /**
   * The {@code conffiles} list of the .deb's control member ({@code remove-on-upgrade} skipped).
   */
  private static Set<String> conffiles(Path deb) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(deb));
        ArArchiveInputStream ar = new ArArchiveInputStream(in)) {
      ArArchiveEntry e;
      while ((e = ar.getNextEntry()) != null) {
        if (!e.getName().startsWith("control.tar")) {
          continue;
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(decompress(e.getName(), ar));
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
          if (t.getName().equals("./conffiles") || t.getName().equals("conffiles")) {
            Set<String> out = new LinkedHashSet<>();
            for (String line : new String(tar.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
              String l = line.strip();
              if (l.startsWith("/")) {
                out.add(l);
              }
            }
            return out;
          }
        }
        return Set.of();
      }
    }
    throw new IOException(deb + ": no control.tar member; expected a .deb archive");
  }

  private static InputStream decompress(String member, InputStream in) throws IOException {
    if (member.endsWith(".xz")) {
      return new XZCompressorInputStream(in);
    }
    if (member.endsWith(".gz")) {
      return new GzipCompressorInputStream(in);
    }
    if (member.endsWith(".zst")) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
