package io.kickdrift.agent.pkgdb.rpm;

/**
 * One file line of {@code rpm -V} output: {@code S.5....T. c /etc/x} or {@code missing c /etc/y}.
 *
 * @param markers the result columns ({@code SM5DLUGTP}, {@code .} passed, {@code ?} could not
 *     check; 8 columns before rpm 4.6 added {@code P}), or {@code "missing"}
 * @param attr {@code c} config, {@code d} doc, {@code g} ghost, {@code l} license, {@code r}
 *     readme, or a space
 * @param path the file's absolute path
 */
record RpmVaLine(String markers, char attr, String path) {
  static final String MISSING = "missing";

  /** The result column letters, in rpm's order. */
  static final String COLUMNS = "SM5DLUGTP";

  /** The attribute characters rpm prints, space included. */
  static final String ATTRS = "cdglr ";

  boolean missing() {
    return markers.equals(MISSING);
  }

  /** Whether the column of {@code letter} reports a difference. */
  boolean has(char letter) {
    int i = COLUMNS.indexOf(letter);
    return !missing() && i >= 0 && i < markers.length() && markers.charAt(i) == letter;
  }

  /** The line as rpm 4.18 prints it. */
  String format() {
    return (missing() ? MISSING + " " : markers) + "  " + attr + " " + path;
  }
}
