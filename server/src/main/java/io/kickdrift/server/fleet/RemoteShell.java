package io.kickdrift.server.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A POSIX shell on one host, as root: how the fleet scan looks at a host besides SFTP. {@link
 * Session#asRoot} gives one over SSH; tests may run {@code sh -c} on this machine.
 */
interface RemoteShell {
  /** How a command ended; {@code stdout} as bytes (it may be a tar stream). */
  record Output(int exit, byte[] stdout, String stderr) {
    public String text() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code command} through {@code sh -c} as root, stdin closed, within the shell's timeout.
   */
  Output run(String command) throws IOException, SshException;

  /**
   * As {@link #run}, with stdout written to {@code stdout} as it arrives instead of kept (the
   * returned stdout is empty): a tar stream of tens of MB need not be held in memory. A shell that
   * cannot stream writes it once the command has ended.
   */
  default Output run(String command, OutputStream stdout) throws IOException, SshException {
    Output o = run(command);
    stdout.write(o.stdout());
    return new Output(o.exit(), new byte[0], o.stderr());
  }

  /** How messages name the host: {@code web01 (10.0.0.5:22)}. */
  String name();

  /** {@code it's} as {@code 'it'\''s'}: one word for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
