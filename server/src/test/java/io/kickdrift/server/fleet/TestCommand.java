package io.kickdrift.server.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A command of the test SSH servers: holds the streams and exit callback MINA hands it, so that a
 * command says only how it starts (and, if it must, how it is destroyed). Input is not read.
 */
abstract class TestCommand implements Command {
  protected InputStream in;
  protected OutputStream out;
  protected OutputStream err;
  protected ExitCallback exit;

  /** Writes {@code s} to {@code o} as UTF-8 and flushes it. */
  static void print(OutputStream o, String s) throws IOException {
    o.write(s.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  @Override
  public void destroy(ChannelSession channel) {}

  @Override
  public void setExitCallback(ExitCallback callback) {
    exit = callback;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }
}
