package io.kickdrift.agent.config;

/**
 * A configuration that cannot be used: each line of the message names where (file:line or the
 * environment variable) and what was expected.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
