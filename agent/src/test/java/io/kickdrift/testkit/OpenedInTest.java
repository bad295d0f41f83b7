package io.kickdrift.testkit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What one test opened (servers, sockets, clients), closed after it in reverse order even when it
 * failed. Every one is closed; the first failure to close is thrown, later ones suppressed.
 *
 * <p>Example: {@code @RegisterExtension final OpenedInTest open = new OpenedInTest();}, then {@code
 * open.add(server)}.
 */
public final class OpenedInTest implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Closes {@code c} after the test; returns it. */
  public <T extends AutoCloseable> T add(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }
}
