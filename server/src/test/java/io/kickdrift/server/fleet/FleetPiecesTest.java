package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.repo.HostFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class FleetPiecesTest {
  @Test
  void javaVersionsAsJavaPrintsThem() {
    assertThat(AgentWay.parseJavaVersion("openjdk version \"17.0.13\" 2024-10-15")).isEqualTo(17);
    assertThat(AgentWay.parseJavaVersion("java version \"1.8.0_402\"")).isEqualTo(8);
    assertThat(AgentWay.parseJavaVersion("openjdk version \"21\" 2023-09-19")).isEqualTo(21);
    assertThat(AgentWay.parseJavaVersion("sh: java: not found")).isZero();
  }

  @Test
  void longPathListsAreSplitUnderTheArgumentLimit() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      paths.add("/etc/some/rather/long/directory/name/file-number-" + i + ".conf");
    }
    List<List<String>> batches = RemoteFiles.batches(paths);
    assertThat(batches).hasSizeGreaterThan(1);
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(paths);
    for (List<String> b : batches) {
      int bytes = b.stream().mapToInt(p -> p.length() + 4).sum();
      assertThat(bytes).isLessThanOrEqualTo(RemoteFiles.MAX_ARGS_BYTES);
    }
    assertThat(RemoteFiles.batches(List.of())).isEmpty();
  }

  static byte[] tar(Map<String, String> files, Map<String, String> links) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out, "UTF-8")) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(b.length);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
      }
      for (Map.Entry<String, String> l : links.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(l.getKey(), TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(l.getValue());
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void aTarStreamBecomesFilesAndLinks() throws IOException {
    String longName = "./etc/" + "d/".repeat(80) + "file with space.conf";
    byte[] t =
        tar(Map.of("./etc/a.conf", "a = 1\n", longName, "x"), Map.of("./etc/link.conf", "a.conf"));
    Map<String, Object> into = new HashMap<>();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, ?> raw = (Map) into;
    RemoteFiles.untar("web01", t, (Map) raw);
    assertThat(into).containsKeys("/etc/a.conf", "/etc/link.conf", longName.substring(1));
  }

  @Test
  void anEntryOutsideTheRequestedFormIsRefused() throws IOException {
    byte[] t = tar(Map.of("etc/passwd", "x"), Map.of());
    assertThatThrownBy(() -> RemoteFiles.untar("web01", t, new HashMap<>()))
        .hasMessage("web01: tar stream has entry 'etc/passwd', expected ./PATH");
  }

  @Property(tries = 300)
  void garbageIsOnlyEverAnIoException(@ForAll byte[] junk) {
    try {
      RemoteFiles.untar("h", junk, new HashMap<>());
    } catch (IOException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void remoteFilesAnswerOnlyForWhatWasAsked() throws Exception {
    RemoteShell sh =
        new RemoteShell() {
          @Override
          public Output run(String command) throws IOException {
            if (command.contains("tar ")) {
              return new Output(0, tar(Map.of("./etc/a.conf", "secret"), Map.of()), "");
            }
            return new Output(0, "/etc/old.conf\0".getBytes(StandardCharsets.UTF_8), "");
          }

          @Override
          public String name() {
            return "web01 (127.0.0.1:22)";
          }
        };
    RemoteFiles f =
        RemoteFiles.fetch(
            sh,
            "/",
            List.of("/etc/a.conf", "/etc/vanished.conf"),
            Map.of(),
            List.of("/etc/old.conf", "/etc/gone.conf"));
    assertThat(f.lstat("/etc/a.conf"))
        .isEqualTo(new HostFiles.Entry(HostFiles.Kind.REGULAR, 6, null));
    assertThat(f.read("/etc/a.conf")).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
    assertThat(f.lstat("/etc/vanished.conf")).isNull();
    assertThat(f.lstat("/etc/old.conf")).isNotNull();
    assertThat(f.lstat("/etc/gone.conf")).isNull();
    assertThatThrownBy(() -> f.lstat("/etc/never-asked")).hasMessageContaining("not fetched");
    assertThatThrownBy(() -> f.read("/etc/vanished.conf")).isInstanceOf(NoSuchFileException.class);
    f.wipe();
    assertThat(f.read("/etc/a.conf")).containsOnly(0);
  }

  /** A path from a damaged or hostile database under {@code --root} cannot climb out of it. */
  @Test
  void fetchedPathsStayUnderTheRoot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path root = dir.resolve("image");
    java.nio.file.Files.createDirectories(root.resolve("etc"));
    java.nio.file.Files.writeString(root.resolve("etc/a.conf"), "in the image");
    java.nio.file.Files.writeString(dir.resolve("outside"), "not the image's");
    RemoteFiles f =
        RemoteFiles.fetch(
            new LocalShell(),
            root.toString(),
            List.of("/etc/a.conf", "/etc/../../outside"),
            Map.of(),
            List.of("/../outside"));
    assertThat(f.read("/etc/a.conf")).isEqualTo("in the image".getBytes(StandardCharsets.UTF_8));
    assertThat(f.lstat("/etc/../../outside")).isNull();
    assertThat(f.lstat("/../outside")).isNull();
  }

  @Test
  void onlyErrorsOfAHostStillBootingAreRetried() {
    assertThat(BaselineScans.unreachable("web01 (10.0.0.5:22): connection refused")).isTrue();
    assertThat(BaselineScans.unreachable("web01 (10.0.0.5:22): connect timed out after 10 s"))
        .isTrue();
    assertThat(BaselineScans.unreachable("web01 (10.0.0.5:22): host key CHANGED: …")).isFalse();
    assertThat(
            BaselineScans.unreachable("web01 (10.0.0.5:22): authentication failed for user root"))
        .isFalse();
  }
}
