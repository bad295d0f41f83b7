package io.kickdrift.server.access;

/**
 * What a user or token may do. Each role includes the ones before it: a viewer reads every page and
 * API route (secrets masked); an operator also turns netboot on and off and asks for rescans; an
 * admin also manages users and tokens and reloads the inventory.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether this role may do what {@code needed} may. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The word users.yaml and the API use: {@code viewer}, {@code operator}, {@code admin}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The role for its word; IllegalArgumentException naming the three words otherwise. */
  public static Role of(String word) {
    for (Role r : values()) {
      if (r.word().equals(word)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role \"" + word + "\"; expected viewer, operator or admin");
  }
}
