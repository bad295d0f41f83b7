package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.InventoryException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedTest {
  @Test
  void anInventoryIsReportedByItsProblemsOneALine() {
    List<String> lines = new ArrayList<>();
    int exit =
        Failed.report(
            "render",
            new InventoryException(List.of("site.yaml:3:5: hosts[0].mac: expected a MAC", "b")),
            lines::add);
    assertThat(exit).isEqualTo(2);
    assertThat(lines).containsExactly("site.yaml:3:5: hosts[0].mac: expected a MAC", "b");
  }

  @Test
  void anythingElseIsOneLineNamingTheCommandInWords() {
    List<String> lines = new ArrayList<>();
    int exit = Failed.report("dns sync", new NoSuchFileException("zones/db.example"), lines::add);
    assertThat(exit).isEqualTo(2);
    assertThat(lines)
        .containsExactly("kickdrift dns sync: zones/db.example: no such file or directory");
  }
}
