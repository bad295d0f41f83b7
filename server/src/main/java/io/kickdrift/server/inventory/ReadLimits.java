package io.kickdrift.server.inventory;

/**
 * How much of an inventory is read before giving up, so that a hostile or broken file costs
 * milliseconds rather than minutes and gigabytes. See docs/inventory.md, "Limits".
 *
 * @param fileBytes the largest file read at all; checked before any parsing, by reading at most
 *     this many bytes plus one
 * @param lineChars the longest line of a YAML file, checked before parsing: SnakeYAML's scanner
 *     copies its look-ahead window for every 1,024 characters of one line, so its cost grows with
 *     the square of a line's length (a 4 MB line took 6.8 s and 1.2 GB)
 * @param scalarChars the longest key or value; a longer one stops reading at once
 */
record ReadLimits(int fileBytes, int lineChars, int scalarChars) {
  /**
   * 32 MiB: 3.7 times a generated 50,000-host inventory (bench/GenInventory.java, 8.9 MB); 128 Ki
   * characters: a line long enough for any value within the scalar limit, with its key; 64 Ki
   * characters: 80 times the longest value real inventories hold (an RSA-4096 scan-key line is
   * 750).
   */
  static final ReadLimits DEFAULT = new ReadLimits(32 << 20, 128 << 10, 64 << 10);
}
