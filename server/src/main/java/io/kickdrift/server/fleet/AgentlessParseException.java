package io.kickdrift.server.fleet;

import java.io.IOException;

/**
 * A remote command's output in an agentless scan could not be read. The message names the command
 * and the line or record: {@code dpkg --verify: line 3: not a verify line: 'x'}.
 */
final class AgentlessParseException extends IOException {
  private static final long serialVersionUID = 1L;

  AgentlessParseException(String command, String where, String message) {
    super(command + ": " + where + ": " + message);
  }
}
