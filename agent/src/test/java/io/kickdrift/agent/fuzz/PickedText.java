package io.kickdrift.agent.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * A fuzz input shared by several parsers: its first byte, counted from {@code '0'}, picks one of
 * them ({@code target}, modulo their number) and the rest, as UTF-8, is the text that one reads.
 */
public record PickedText(int target, String text) {
  /** The pick of {@code input} among {@code targets} parsers; null for the empty input. */
  public static PickedText of(byte[] input, int targets) {
    if (input.length == 0) {
      return null;
    }
    return new PickedText(
        Math.floorMod(input[0] - '0', targets),
        new String(input, 1, input.length - 1, StandardCharsets.UTF_8));
  }
}
