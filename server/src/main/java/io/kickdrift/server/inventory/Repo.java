package io.kickdrift.server.inventory;

/** An extra package repository a profile installs from. */
public record Repo(String name, String baseurl) {}
