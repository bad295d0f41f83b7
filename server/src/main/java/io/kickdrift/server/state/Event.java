package io.kickdrift.server.state;

import java.time.Instant;

/** One line of a host's history: {@code installed}, {@code netboot-enabled}, … with detail. */
public record Event(long id, Instant at, String host, String kind, String detail) {}
