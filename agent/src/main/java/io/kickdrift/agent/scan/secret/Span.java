package io.kickdrift.agent.scan.secret;

/**
 * A value one rule found, before the matches of all rules are merged: offsets into the content
 * (read as ISO-8859-1, so a char offset is a byte offset).
 */
record Span(String rule, String key, int start, int end) {
  boolean overlaps(Span o) {
    return start < o.end && o.start < end;
  }
}
