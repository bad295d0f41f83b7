package io.kickdrift.server.distros;

/** A {@code .treeinfo} that cannot be read; the message starts with {@code .treeinfo:LINE:}. */
final class TreeInfoException extends Exception {
  public TreeInfoException(int line, String message) {
    super(".treeinfo:" + line + ": " + message);
  }
}
