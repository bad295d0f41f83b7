package io.kickdrift.server.inventory;

/** A dynamic address pool, first and last address inclusive. */
public record Range(String start, String end) {}
