package io.kickdrift.server.render;

/**
 * A render that cannot finish: a template that does not parse or fails on its data (the message
 * names the template and line), or an inventory the templates cannot serve.
 */
public final class RenderException extends Exception {
  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
