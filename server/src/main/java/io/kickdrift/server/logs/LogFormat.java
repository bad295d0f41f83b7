package io.kickdrift.server.logs;

/** How log lines are written: for people on a terminal, or one JSON object a line. */
public enum LogFormat {
  HUMAN,
  JSON
}
