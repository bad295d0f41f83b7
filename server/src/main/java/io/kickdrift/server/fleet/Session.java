package io.kickdrift.server.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;

/** An authenticated SSH session to one host: commands, and files over SFTP. */
final class Session implements AutoCloseable {
  /** How a command ended and what it printed (UTF-8). */
  public record Result(int exit, String stdout, String stderr) {}

  private final SshTarget target;
  private final ClientSession session;
  private final Session via;

  Session(SshTarget target, ClientSession session) {
    this(target, session, null);
  }

  /**
   * @param via the jump host's session this one is forwarded through, closed with it
   */
  Session(SshTarget target, ClientSession session, Session via) {
    this.target = target;
    this.session = session;
    this.via = via;
  }

  ClientSession client() {
    return session;
  }

  public SshTarget target() {
    return target;
  }

  /**
   * Runs {@code command} through the login user's shell; one that does not end within {@code
   * timeout} has its channel closed and is an error.
   */
  public Result run(String command, Duration timeout) throws SshException {
    RemoteShell.Output o = exec(command, timeout);
    return new Result(o.exit(), o.text(), o.stderr());
  }

  /** As {@link #run}, keeping stdout as bytes. */
  public RemoteShell.Output exec(String command, Duration timeout) throws SshException {
    return exec(command, timeout, null);
  }

  /**
   * As {@link #exec(String, Duration)}, with stdout written to {@code stdout} as it arrives (the
   * returned stdout is empty); null keeps it.
   */
  RemoteShell.Output exec(String command, Duration timeout, OutputStream stdout)
      throws SshException {
    ByteArrayOutputStream kept = stdout == null ? new ByteArrayOutputStream() : null;
    OutputStream out = stdout == null ? kept : stdout;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try (ChannelExec ch = session.createExecChannel(command)) {
      ch.setOut(out);
      ch.setErr(err);
      OpenFuture open = ch.open();
      if (!Ssh.await(open::await, timeout)) {
        kill(ch);
        throw timedOut(command, timeout);
      }
      if (!open.isOpened()) {
        throw new SshException(
            target, "cannot start " + command + ": " + reason(open.getException()));
      }
      OutputStream stdin = ch.getInvertedIn();
      if (stdin != null) {
        stdin.close(); // EOF: a command that reads its input ends instead of waiting for it
      }
      Duration left = timeout.minusNanos(System.nanoTime() - start);
      Set<ClientChannelEvent> ev =
          ch.waitFor(
              EnumSet.of(ClientChannelEvent.CLOSED), left.isNegative() ? Duration.ZERO : left);
      if (ev.contains(ClientChannelEvent.TIMEOUT)) {
        kill(ch);
        throw timedOut(command, timeout);
      }
      Integer exit = ch.getExitStatus();
      if (exit == null) {
        String signal = ch.getExitSignal();
        throw new SshException(
            target,
            signal != null
                ? "killed by signal " + signal + ": " + command
                : "connection lost while running: " + command);
      }
      return new RemoteShell.Output(
          exit,
          kept == null ? new byte[0] : kept.toByteArray(),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SshException(
          target, "connection lost while running: " + command + " (" + reason(e) + ")", e);
    }
  }

  /**
   * Runs {@code command} as root: as is when the login user is root, else through {@code sudo -n},
   * which fails rather than asking for a password.
   */
  public Result runAsRoot(String command, Duration timeout) throws SshException {
    RemoteShell.Output o = execAsRoot(command, timeout);
    return new Result(o.exit(), o.text(), o.stderr());
  }

  /** As {@link #runAsRoot}, keeping stdout as bytes. */
  public RemoteShell.Output execAsRoot(String command, Duration timeout) throws SshException {
    return execAsRoot(command, timeout, null);
  }

  /** As {@link #execAsRoot(String, Duration)}, stdout to {@code stdout} ({@link #exec}). */
  private RemoteShell.Output execAsRoot(String command, Duration timeout, OutputStream stdout)
      throws SshException {
    if ("root".equals(target.user())) {
      return exec(command, timeout, stdout);
    }
    RemoteShell.Output r = exec("sudo -n -- sh -c " + quote(command), timeout, stdout);
    if (r.exit() == 1 && r.stderr().contains("a password is required")) {
      throw new SshException(
          target,
          "sudo needs a password for "
              + target.user()
              + " (kickdrift runs sudo -n; allow NOPASSWD for the scan command)");
    }
    return r;
  }

  /** This session as a root shell whose commands each get {@code timeout}. */
  public RemoteShell asRoot(Duration timeout) {
    return new RemoteShell() {
      @Override
      public RemoteShell.Output run(String command) throws SshException {
        return execAsRoot(command, timeout);
      }

      @Override
      public RemoteShell.Output run(String command, OutputStream stdout) throws SshException {
        return execAsRoot(command, timeout, stdout);
      }

      @Override
      public String name() {
        return target.toString();
      }
    };
  }

  /**
   * A shell as the login user whose commands each get {@code timeout}: {@code root} itself when the
   * login user is root (no further channel, no further login shell), else one channel a command.
   */
  public RemoteShell asLoginUser(ShellChannel root, Duration timeout) {
    if ("root".equals(target.user())) {
      return root;
    }
    return new RemoteShell() {
      @Override
      public RemoteShell.Output run(String command) throws SshException {
        return exec(command, timeout);
      }

      @Override
      public String name() {
        return target.toString();
      }
    };
  }

  /**
   * One shell as root ({@code sudo -n} for another login user) that runs a scan's commands one
   * after another over one channel; close it when done.
   */
  public ShellChannel rootShell(Duration timeout) throws SshException {
    boolean root = "root".equals(target.user());
    return new ShellChannel(
        target.toString(),
        root ? null : target.user(),
        command -> shell(command, timeout),
        root ? "exec sh" : "exec sudo -n -- sh",
        timeout);
  }

  private ShellChannel.Process shell(String command, Duration timeout) throws SshException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ChannelExec ch;
    try {
      ch = session.createExecChannel(command);
      ch.setErr(err);
      OpenFuture open = ch.open();
      if (!Ssh.await(open::await, timeout) || !open.isOpened()) {
        ch.close(true);
        throw new SshException(
            target, "cannot start " + command + ": " + reason(open.getException()));
      }
    } catch (IOException e) {
      throw new SshException(target, "cannot start " + command + " (" + reason(e) + ")", e);
    }
    return new ShellChannel.Process() {
      @Override
      public OutputStream stdin() {
        return ch.getInvertedIn();
      }

      @Override
      public InputStream stdout() {
        return ch.getInvertedOut();
      }

      @Override
      public String stderr() {
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofMillis(500));
        return err.toString(StandardCharsets.UTF_8);
      }

      @Override
      public Integer exit() {
        return ch.getExitStatus();
      }

      @Override
      public void kill() {
        Session.this.kill(ch);
      }
    };
  }

  /** Writes {@code local} to {@code remotePath} over SFTP, replacing what was there. */
  public void upload(Path local, String remotePath) throws SshException {
    try (InputStream in = Files.newInputStream(local);
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        OutputStream o = sftp.write(remotePath)) {
      in.transferTo(o);
    } catch (NoSuchFileException e) {
      throw new SshException(target, "upload: " + local + " does not exist", e);
    } catch (IOException e) {
      throw transferFailed("upload of " + local + " to " + remotePath, e);
    }
  }

  /** The content of {@code remotePath}, over SFTP. */
  public byte[] download(String remotePath) throws SshException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        InputStream in = sftp.read(remotePath)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw transferFailed("download of " + remotePath, e);
    }
  }

  private SshException transferFailed(String what, IOException e) {
    if (e instanceof SftpException s) {
      return new SshException(target, what + " failed: " + s.getMessage(), e);
    }
    // A dropped connection surfaces first as a closed channel; give the session a moment to
    // notice that it is closed too.
    session.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofMillis(500));
    if (!session.isOpen()) {
      return new SshException(target, "connection lost during " + what, e);
    }
    return new SshException(target, what + " failed: " + reason(e), e);
  }

  /**
   * Ends the command: a KILL signal request (RFC 4254 6.9; OpenSSH passes it to the command's
   * process, which without a terminal would otherwise live on until it next writes), then closes
   * the channel gracefully so the server ends its side, at once if the server does not confirm.
   */
  private void kill(ChannelExec ch) {
    try {
      Buffer b = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
      b.putUInt(ch.getRecipient());
      b.putString("signal");
      b.putBoolean(false);
      b.putString("KILL");
      ch.writePacket(b);
    } catch (IOException e) {
      // the channel or session is gone already: closing below is all there is to do
    }
    if (!Ssh.await(ch.close(false)::await, Duration.ofSeconds(2))) {
      ch.close(true);
    }
  }

  private SshException timedOut(String command, Duration timeout) {
    return new SshException(
        target, "command timed out after " + Ssh.seconds(timeout) + ": " + command);
  }

  /** {@code it's} as {@code 'it'\''s'}: one word for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String reason(Throwable e) {
    if (e == null) {
      return "session closed";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    session.close(false).awaitUninterruptibly(Duration.ofSeconds(5));
    if (via != null) {
      via.close();
    }
  }
}
