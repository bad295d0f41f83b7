package io.kickdrift.server.inventory;

import java.util.List;

/**
 * An inventory that cannot be used: unreadable, malformed, or inconsistent. Each problem is one
 * line of the form {@code file:line:column: field path: what was expected}; the message joins them.
 */
public final class InventoryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** One problem per line, each starting {@code file:}. */
  public InventoryException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order for semantic checks, one per line of the message. */
  public List<String> problems() {
    return problems;
  }
}
