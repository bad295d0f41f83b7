package io.kickdrift.server.cli;

import io.kickdrift.server.inventory.DurationText;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout DURATION}: how long a command waits for each answer of a server. */
final class TimeoutOption {
  // Text checked by the converter as it is parsed, so that the help shows "3s", not "PT3S".
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Checked.class,
      description = "How long to wait for each answer, e.g. 500ms, 3s (default ${DEFAULT-VALUE}).")
  String text;

  /** With the command's own default, e.g. {@code "3s"}. */
  TimeoutOption(String byDefault) {
    this.text = byDefault;
  }

  Duration value() {
    return DurationText.parse(text);
  }

  /** Refuses what is not a duration, keeps the text as written. */
  static final class Checked implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String text) {
      new DurationConverter().convert(text);
      return text;
    }
  }
}
