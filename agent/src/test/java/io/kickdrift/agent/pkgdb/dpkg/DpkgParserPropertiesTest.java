package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kickdrift.agent.fuzz.MutatedText;
import io.kickdrift.agent.pkgdb.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Whatever the bytes on disk, the dpkg parsers warn or throw their documented exception only. */
class DpkgParserPropertiesTest {
  private static final String A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String STATUS =
      "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\n"
          + "Version: 2.36-9\nDescription: GNU C Library\n shared libraries\n .\n more\n\n"
          + "Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\n"
          + "Conffiles:\n /etc/ssh/moduli "
          + A
          + "\n /etc/a b.conf "
          + A
          + " obsolete remove-on-upgrade\n /etc/new newconffile\n\n"
          + "# comment\nPackage: gone\nStatus: deinstall ok config-files\r\n";
  private static final String WARNING = "(?s)%s:\\d+: .*";

  // jqwik reuses one instance for all tries of a property: state lives in each try.

  @Provide
  Arbitrary<String> status() {
    return MutatedText.anyOr(STATUS);
  }

  @Property(tries = 300)
  void controlLenientNeverThrowsAndWarnsWithFileAndLine(@ForAll("status") String text) {
    List<String> warnings = new ArrayList<>();
    List<Stanza> stanzas = ControlParser.parse("f", text, warnings);

    assertThat(warnings).allMatch(w -> w.matches(String.format(WARNING, "f")), "file:line: prefix");
    assertThat(stanzas).allSatisfy(s -> assertThat(s.fields()).isNotEmpty());
    assertThat(stanzas).allSatisfy(s -> assertThat(s.line()).isPositive());
    // A property whose inputs never reach the error branch proves little: make sure they do.
    Statistics.label("warned").collect(!warnings.isEmpty());
    Statistics.label("warned").coverage(c -> c.check(true).percentage(p -> p > 20));
    Statistics.label("warned").coverage(c -> c.check(false).percentage(p -> p > 5));
  }

  @Property(tries = 300)
  void controlStrictFailsExactlyWhenLenientWarns(@ForAll("status") String text) {
    List<String> warnings = new ArrayList<>();
    Throwable t = catchThrowable(() -> ControlParser.parse("f", text));

    ControlParser.parse("f", text, warnings);
    if (warnings.isEmpty()) {
      assertThat(t).isNull();
    } else {
      assertThat(t).isInstanceOf(DpkgParseException.class).hasMessage(warnings.get(0));
    }
  }

  @Property(tries = 300)
  void statusNeverThrows(@ForAll("status") String text) {
    List<String> warnings = new ArrayList<>();
    List<InstalledPackage> p = StatusParser.parse("s", text, warnings);

    assertThat(warnings).allMatch(w -> w.matches(String.format(WARNING, "s")));
    assertThat(p).allSatisfy(x -> assertThat(x.name()).isNotEmpty());
  }

  @Provide
  Arbitrary<String> md5sums() {
    return MutatedText.anyOr(A + "  usr/bin/a\n" + A + " *usr/share/a b\n\n" + A + "  /abs");
  }

  @Property(tries = 300)
  void md5sumsNeverThrows(@ForAll("md5sums") String text) {
    List<String> warnings = new ArrayList<>();
    Map<String, Digest> m = Md5sums.parse("m", text, warnings);

    assertThat(m.keySet()).allMatch(p -> p.startsWith("/"));
    assertThat(warnings).allMatch(w -> w.matches(String.format(WARNING, "m")));
  }

  @Provide
  Arbitrary<String> conffileLine() {
    return MutatedText.anyOr(
        " /etc/a b.conf " + A + " obsolete",
        "/etc/x newconffile",
        "/etc/y " + A + " remove-on-upgrade");
  }

  @Property(tries = 300)
  void conffileIsNullOrAnAbsolutePath(@ForAll("conffileLine") String line) {
    Conffile c = Conffile.parse(line);

    if (c != null) {
      assertThat(c.path()).startsWith("/");
    }
  }

  @Provide
  Arbitrary<String> diversions() {
    return MutatedText.anyOr("/usr/bin/a\n/usr/bin/a.distrib\npkg\n/etc/b\n/etc/b.local\n:\n");
  }

  @Property(tries = 300)
  void diversionsParseOrFailWithFileAndLine(@ForAll("diversions") String text) {
    Throwable t = catchThrowable(() -> Diversion.parse("d", text));

    if (t != null) {
      assertThat(t).isInstanceOf(DpkgParseException.class).hasMessageMatching("(?s)d:\\d+: .*");
    }
  }

  @Provide
  Arbitrary<String> ucf() {
    return MutatedText.anyOr(
        A + "  /etc/ssh/sshd_config\n" + A + "  /etc/default/grub\n",
        "openssh-server /etc/ssh/sshd_config\ngrub-pc /etc/default/grub\n");
  }

  @Property(tries = 300)
  void ucfNeverThrows(@ForAll("ucf") String hashfile, @ForAll("ucf") String registry) {
    List<String> warnings = new ArrayList<>();
    List<UcfEntry> e = UcfEntry.parse(hashfile, registry, warnings);

    assertThat(e).allMatch(x -> x.path().startsWith("/"));
    assertThat(warnings).allMatch(w -> w.matches("(?s)/var/lib/ucf/(hashfile|registry):\\d+: .*"));
  }

  @Provide
  Arbitrary<String> statOverride() {
    return MutatedText.anyOr("root ssl-cert 710 /etc/ssl/private\n#1001 #1001 0644 /srv/a b\n");
  }

  @Property(tries = 300)
  void statOverrideNeverThrows(@ForAll("statOverride") String text) {
    List<String> warnings = new ArrayList<>();
    List<StatOverride> o = StatOverride.parse("o", text, warnings);

    assertThat(o).allMatch(x -> x.path().startsWith("/"));
    assertThat(warnings).allMatch(w -> w.matches(String.format(WARNING, "o")));
  }

  @Property(tries = 300)
  void alternativesNeverThrow(@ForAll("diversions") String text) {
    assertThat(Alternatives.managedLinks("x", text)).startsWith("/etc/alternatives/x");
  }
}
