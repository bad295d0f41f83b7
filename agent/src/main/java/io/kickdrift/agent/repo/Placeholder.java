package io.kickdrift.agent.repo;

import java.nio.charset.StandardCharsets;

/**
 * The text committed in place of a secret: it names the rule and the digest, never the content, and
 * depends on nothing else, so an unchanged secret commits the same blob.
 */
final class Placeholder {
  private Placeholder() {}

  static byte[] text(String path, String rule, String digest) {
    return ("# kickdrift: "
            + path
            + " is a secret and is not stored in this repository.\n"
            + "# rule: "
            + rule
            + "\n"
            + "# digest of the file on the host: "
            + (digest == null ? "unknown" : digest)
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
