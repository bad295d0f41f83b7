package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.Status;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestTest {
  static final String MD5_A = "0cc175b9c0f1b6a831c399e269772661";
  static final String MD5_B = "92eb5ffee6ae2fec3ad71c777531578f";

  static Finding modified(String path, String secret) {
    return new Finding(
        path,
        Status.MODIFIED,
        Set.of(Problem.CONTENT),
        Set.of(),
        "alpha",
        "1.0-1",
        true,
        'c',
        new Finding.Observed(
            "regular", "0644", "root", "root", 2L, 1L, null, Digest.of(DigestAlgorithm.MD5, MD5_A)),
        new Finding.Observed(
            "regular", "0640", "root", "adm", 2L, 9L, null, Digest.of(DigestAlgorithm.MD5, MD5_B)),
        secret,
        null);
  }

  @Test
  void anEntryKeepsWhatIsStableAndNoTimes() {
    ManifestEntry e =
        ManifestEntry.of(
            modified("/etc/x.conf", null), "modified", "md5:" + MD5_B, null, true, null);
    assertThat(e)
        .isEqualTo(
            new ManifestEntry(
                "modified",
                "alpha",
                "1.0-1",
                "md5:" + MD5_A,
                "md5:" + MD5_B,
                "regular",
                "0640",
                "root",
                "adm",
                null,
                "none",
                null,
                null,
                null,
                true,
                null,
                null,
                null));
  }

  @Test
  void jsonIsSortedPrettyAndEndsWithANewline() {
    TreeMap<String, ManifestEntry> files = new TreeMap<>();
    files.put(
        "/etc/z.conf",
        ManifestEntry.of(
            modified("/etc/z.conf", "/etc/z.conf"),
            "modified",
            "md5:" + MD5_B,
            "placeholder",
            true,
            null));
    files.put(
        "/etc/a.conf",
        ManifestEntry.of(modified("/etc/a.conf", null), "missing", null, null, false, null));
    String json = new String(new Manifest(1, "web01", files).toJson(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\n"
                + "  \"schema\" : 1,\n"
                + "  \"host\" : \"web01\",\n"
                + "  \"files\" : {\n"
                + "    \"/etc/a.conf\" : {\n"
                + "      \"status\" : \"missing\",\n"
                + "      \"package\" : \"alpha\",\n"
                + "      \"version\" : \"1.0-1\",\n"
                + "      \"packagedDigest\" : \"md5:"
                + MD5_A
                + "\",\n"
                + "      \"type\" : \"regular\",\n"
                + "      \"mode\" : \"0640\",\n"
                + "      \"user\" : \"root\",\n"
                + "      \"group\" : \"adm\",\n"
                + "      \"secret\" : \"none\",\n"
                + "      \"stored\" : false\n"
                + "    },\n"
                + "    \"/etc/z.conf\" : {\n"
                + "      \"status\" : \"modified\",\n"
                + "      \"package\" : \"alpha\",\n"
                + "      \"version\" : \"1.0-1\",\n"
                + "      \"packagedDigest\" : \"md5:"
                + MD5_A
                + "\",\n"
                + "      \"digest\" : \"md5:"
                + MD5_B
                + "\",\n"
                + "      \"type\" : \"regular\",\n"
                + "      \"mode\" : \"0640\",\n"
                + "      \"user\" : \"root\",\n"
                + "      \"group\" : \"adm\",\n"
                + "      \"secret\" : \"placeholder\",\n"
                + "      \"secretRule\" : \"/etc/z.conf\",\n"
                + "      \"stored\" : true\n"
                + "    }\n"
                + "  }\n"
                + "}\n");
  }

  @Test
  void roundTrip() throws Exception {
    TreeMap<String, ManifestEntry> files = new TreeMap<>();
    files.put(
        "/etc/x.conf",
        ManifestEntry.of(
            modified("/etc/x.conf", null), "modified", "md5:" + MD5_B, null, true, "a note"));
    Manifest m = new Manifest(1, "web01", files);
    assertThat(Manifest.parse("test", m.toJson())).isEqualTo(m);
  }

  @Test
  void badManifestsNameTheFile() {
    assertThatThrownBy(
            () ->
                Manifest.parse("repo:hosts/h/manifest.json", "{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Manifest.ManifestException.class)
        .hasMessageStartingWith("repo:hosts/h/manifest.json: not a kickdrift manifest: ");
    assertThatThrownBy(
            () ->
                Manifest.parse(
                    "m.json",
                    "{\"schema\":2,\"host\":\"h\",\"files\":{}}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("m.json: manifest schema 2, this agent reads 1");
  }

  @Test
  void aPlaceholderNamesRuleAndDigestOnly() {
    String text =
        new String(
            Placeholder.text("/etc/shadow", "/etc/shadow", "md5:" + MD5_A), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            "# kickdrift: /etc/shadow is a secret and is not stored in this repository.\n"
                + "# rule: /etc/shadow\n"
                + "# digest of the file on the host: md5:"
                + MD5_A
                + "\n");
  }
}
