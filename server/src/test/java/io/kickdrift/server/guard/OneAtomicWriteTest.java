package io.kickdrift.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Temp-file-then-rename is written once, in AtomicWrite, which syncs the file and the directory: a
 * hand-written copy elsewhere (HostKeyCheck's forgot the sync) is caught here.
 */
class OneAtomicWriteTest {
  private static final Pattern BY_HAND =
      Pattern.compile("ATOMIC_MOVE|Files\\.move\\(|createTempFile\\(|\\.renameTo\\(");

  /** Temporary files that are read back and deleted, never renamed into place. */
  private static final List<String> NOT_RENAMED =
      List.of("loaders/GrubBuild.java", "fleet/AgentlessScan.java");

  @Test
  void onlyAtomicWriteRenamesATemporaryFileIntoPlace() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path main : List.of(Path.of("src/main/java"), Path.of("../agent/src/main/java"))) {
      assertThat(main).isDirectory();
      try (Stream<Path> files = Files.walk(main)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String name = f.toString().replace('\\', '/');
          if (name.endsWith("/agent/state/AtomicWrite.java")
              || NOT_RENAMED.stream().anyMatch(name::endsWith)) {
            continue;
          }
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            if (BY_HAND.matcher(lines.get(i)).find()) {
              found.add(name + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    assertThat(found).as("use AtomicWrite instead").isEmpty();
  }
}
