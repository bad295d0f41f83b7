package io.kickdrift.server.render;

import java.util.Optional;

/**
 * The token a host's kickstart and callback URLs carry: that of its pending install, if it has one
 * ({@link CallbackTokens} derives it from the install's id). A host without one gets URLs that no
 * token check accepts ({@link #NONE}).
 */
@FunctionalInterface
public interface InstallTokens {
  /** What the URLs of a host without a pending install carry instead of a token. */
  String NONE = "no-install";

  /** The token of the host's pending install; empty when it has none. */
  Optional<String> token(String host);
}
