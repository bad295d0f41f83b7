package io.kickdrift.server.cli;

import io.kickdrift.server.inventory.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's side of {@link DurationText}, for every {@code DURATION} option: the syntax of the
 * inventory's durations ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}). A refusal
 * reads {@code Invalid value for option '--timeout': '5 min' is not a duration; …}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
