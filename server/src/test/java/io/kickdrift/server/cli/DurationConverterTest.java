package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.CliConvention;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every DURATION option of the CLI takes the one syntax, and a refusal names option and value. */
class DurationConverterTest {
  @Test
  void durations() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> c.convert("5 minutes")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> c.convert("0s")).hasMessageContaining("more than zero");
  }

  @Test
  void everyDurationOptionRefusesBadTextNamingTheOptionAndTheValue() {
    List<List<String>> options =
        List.of(
            List.of("fleet", "scan", "--connect-timeout"),
            List.of("fleet", "scan", "--command-timeout"),
            List.of("fleet", "scan", "--host-timeout"),
            List.of("serve", "--scan-delay"),
            List.of("serve", "--scan-retry"),
            List.of("serve", "--scan-give-up"),
            List.of("dns", "sync", "--timeout"),
            List.of("doctor", "--timeout"));
    for (List<String> option : options) {
      List<String> args = new java.util.ArrayList<>(option);
      args.add("5 minutes");
      CliConvention.Run r = CliConvention.run(KickdriftMain::commandLine, args);
      String name = option.get(option.size() - 1);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err())
          .as(String.join(" ", args))
          .contains(
              "Invalid value for option '"
                  + name
                  + "': '5 minutes' is not a duration; expected e.g. 30s, 5m, 4h, 7d or 500ms");
    }
  }

  @Test
  void theHelpShowsDefaultsInTheSameSyntax() {
    assertThat(CliConvention.run(KickdriftMain::commandLine, List.of("doctor", "--help")).out())
        .contains("(default 3s)");
    assertThat(
            CliConvention.run(KickdriftMain::commandLine, List.of("dns", "sync", "--help")).out())
        .contains("(default 10s)");
  }
}
