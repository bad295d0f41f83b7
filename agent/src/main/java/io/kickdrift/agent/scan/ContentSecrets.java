package io.kickdrift.agent.scan;

import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.util.List;

/**
 * Which findings' content a commit would store in clear, and the secret values inside it: the one
 * place the scan (and any caller that has a finding's content, such as a fleet scan fetching it)
 * asks the detector. Only findings are read, so the cost stays with what drifted.
 *
 * <p>Example: {@code if (ContentSecrets.inClear(f)) f = ContentSecrets.attach(f, bytes, rules)}.
 */
public final class ContentSecrets {
  /** What is read of a file at most: the config repository stores nothing larger (16 MiB). */
  public static final int MAX_BYTES = 16 << 20;

  private ContentSecrets() {}

  /**
   * Whether {@code f}'s content would be committed as it is: a regular file, a modified config file
   * or an unowned file, not already secret as a whole.
   */
  public static boolean inClear(Finding f) {
    if (f.secret() != null || f.actual() == null || !"regular".equals(f.actual().type())) {
      return false;
    }
    Long size = f.actual().size();
    if (size == null || size == 0 || size > MAX_BYTES) {
      return false;
    }
    return f.status() == Status.UNOWNED || (f.status() == Status.MODIFIED && f.config());
  }

  /** {@code f} with the secret values {@code detector} finds in {@code content}, if any. */
  public static Finding attach(Finding f, byte[] content, InlineSecrets detector) {
    return with(f, detector.find(f.path(), content));
  }

  static Finding with(Finding f, List<SecretMatch> found) {
    return found.isEmpty() ? f : f.withInlineSecrets(found);
  }
}
