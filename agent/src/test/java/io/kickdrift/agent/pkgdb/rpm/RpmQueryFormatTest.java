package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.Assertions;

class RpmQueryFormatTest {
  private static final String S = String.valueOf(RpmQueryFormat.SEP);

  /** What `rpm -qa --queryformat` printed for the fixture database, separators made visible. */
  private static final String FIXTURE_DUMP =
      String.join(
              "\n",
              "kd-sha256|(none)|0.9|1|noarch|8|/etc/kd/s.conf|17|0|33152|daemon|daemon||2|1795534711|cbc80bb5c0c0f8944bf73b3a429505ac5cde16644978bc9a1e74c5755f8ca556|4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/etc/kd|0|0|16877|root|root||0|1795534711||4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/etc/kd/a.conf|1|0|33188|root|root||2|1795534711|60b725f10c9c85c70d97880dfe8191b3|4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/etc/kd/b.conf|17|0|33188|root|root||2|1795534711|3b5d5c3712955042212316173ccf37be|4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/etc/kd/link|0|0|41471|root|root|a.conf|6|1795534711||4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/etc/kd/v.conf|9|0|33188|root|root||2|1795534711|e734a88a1110fa3d657454b2dd348822|4294967260",
              "kd-md5|2|1.2|3|noarch|(none)|/usr/bin/kd|0|0|33261|root|root||10|1795534711|3e2b31c72181b87149ff995e7202c0e3|4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/usr/share/doc/kd-md5/README|2|0|33188|root|root||4|1795534711|49995c85be6f95a1dbef19aafa8f1f53|4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/var/lib/kd|0|0|16877|root|root||0|1795534711||4294967295",
              "kd-md5|2|1.2|3|noarch|(none)|/var/lib/kd/state|64|0|33184|root|daemon||0|1795534711||4294967256",
              "")
          .replace("|", S);

  @Example
  void formatIteratesOverFiles() {
    assertThat(RpmQueryFormat.format())
        .startsWith("[%{=NAME}" + S + "%{=EPOCH}" + S)
        .contains(S + "%{FILENAMES}" + S)
        .endsWith("%{FILEVERIFYFLAGS}\\n]");
  }

  @Example
  void parsesTheSameRecordsAsTheHeader() throws Exception {
    RpmQueryFormat.Parsed parsed = RpmQueryFormat.parse(FIXTURE_DUMP);

    assertThat(parsed.warnings()).isEmpty();
    assertThat(parsed.packages())
        .extracting(RpmPackage::name)
        .containsExactly("kd-sha256", "kd-md5");
    PackageDatabase db =
        RpmRoot.database(
            io.kickdrift.agent.pkgdb.PackageSource.RPM_QUERY,
            parsed.packages(),
            List.of(),
            java.util.Set.of());
    assertThat(db.files()).containsExactlyElementsOf(RpmFixture.FILES);
  }

  @Example
  void badLinesBecomeWarnings() {
    String out =
        ("x|(none)|1|1|noarch|(none)|/a|0|0|33188|root|root||1|1||-1\n"
                + "x|(none)|1|1|noarch|(none)|/b|zero|0|33188|root|root||1|1||-1\n"
                + "x|(none)|1|1\n"
                + "x|(none)|1|1|noarch|(none)|relative|0|0|33188|root|root||1|1||-1\n"
                + "gpg-pubkey|(none)|1|1|(none)|(none)|/k|0|0|33188|root|root||1|1||-1\n")
            .replace("|", S);

    RpmQueryFormat.Parsed parsed = RpmQueryFormat.parse(out);

    assertThat(parsed.packages()).hasSize(1);
    assertThat(parsed.packages().get(0).files()).extracting(RpmFile::path).containsExactly("/a");
    assertThat(parsed.warnings())
        .containsExactly(
            "rpm query line 2: FILEFLAGS not a number: zero",
            "rpm query line 3: 4 fields, expected 17",
            "rpm query line 4: file name not absolute: relative");
  }

  @Property(tries = 2000)
  void anyOutputParsesWithoutThrowing(@ForAll("dumps") String out) {
    RpmQueryFormat.Parsed parsed = RpmQueryFormat.parse(out);
    for (RpmPackage p : parsed.packages()) {
      try {
        RpmPackages.files(p, p.name());
      } catch (RpmParseException e) {
        // a digest that does not fit its algorithm: the reader warns
      }
    }
  }

  @Provide
  Arbitrary<String> dumps() {
    Arbitrary<String> field =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(6),
            Arbitraries.strings().withChars("0123456789-").ofMinLength(1).ofMaxLength(12),
            Arbitraries.of("(none)", "", "/etc/x", "60b725f10c9c85c70d97880dfe8191b3", "255"));
    Arbitrary<String> line = field.list().ofMinSize(15).ofMaxSize(18).map(l -> String.join(S, l));
    return line.list().ofMaxSize(6).map(l -> String.join("\n", l));
  }

  @Example
  void readerRunsRpmOnceWithTheDbPathItFound() throws Exception {
    Path root = Files.createTempDirectory("kd-rpmq");
    try {
      Files.createDirectories(root.resolve("var/lib/rpm"));
      Files.writeString(root.resolve("var/lib/rpm/Packages"), "not really bdb");
      List<List<String>> calls = new ArrayList<>();

      PackageDatabase db =
          RpmQueryReader.read(
              root,
              args -> {
                calls.add(args);
                return FIXTURE_DUMP;
              });

      assertThat(calls)
          .containsExactly(
              List.of(
                  "--root",
                  root.toString(),
                  "--dbpath",
                  "/var/lib/rpm",
                  "-qa",
                  "--queryformat",
                  RpmQueryFormat.format()));
      assertThat(db.backend().label()).isEqualTo("rpm-query");
      assertThat(db.files()).containsExactlyElementsOf(RpmFixture.FILES);
      assertThat(db.warnings())
          .containsExactly(
              "rpm database /var/lib/rpm read through `rpm -qa --queryformat`:"
                  + " Packages is a Berkeley DB database");
      assertThat(db.metadataChecked()).isTrue();
    } finally {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Example
  void readerFailsWithoutADatabase() throws IOException {
    Path root = Files.createTempDirectory("kd-rpmq");
    try {
      Assertions.assertThatThrownBy(() -> RpmQueryReader.read(root, args -> ""))
          .isInstanceOf(NoSuchFileException.class);
    } finally {
      Files.delete(root);
    }
  }
}
