package io.kickdrift.server.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code sh} on the host, as root, that runs command after command: a scan's dozen commands pay
 * for one channel and one login shell (whose start-up files may take most of a second) instead of
 * one each (docs/fleet.md, "One shell a host").
 *
 * <p>Each command is sent on the shell's input as
 *
 * <pre>{@code { e=$( { COMMAND
 * } </dev/null 2>&1 >&3 3>&-); r=$?; } 3>&1; printf '\nNONCE %s\n%s\nNONCE\n' "$r" "$e"}</pre>
 *
 * so its stdout passes through as it is (binary, streamed) up to a line that names its exit status
 * after a random per-shell nonce, then its stderr (which a command substitution cannot hold NULs
 * of, nor trailing newlines: it is read as text), up to the nonce again. A command cannot end the
 * framing early unless it prints the nonce, which is never sent to the host except inside the
 * {@code printf} after it. Protocol: {@link Framing}, which is pure.
 */
final class ShellChannel implements RemoteShell, AutoCloseable {
  /** Opens the channel; runs nothing until the first command. */
  interface Opener {
    /**
     * Starts {@code command} with its stdin writable and its stdout readable; stderr is kept for
     * when the shell ends early.
     */
    Process open(String command) throws SshException;
  }

  /** An exec channel's streams and end, as the shell sees them. */
  interface Process {
    OutputStream stdin();

    InputStream stdout();

    /** What the shell itself wrote to stderr so far (a sudo refusal, a syntax error). */
    String stderr();

    /** The shell's exit status, null while it runs or when it was killed. */
    Integer exit();

    /** Ends the shell at once (KILL, then the channel closes). */
    void kill();
  }

  /** Ends commands that run out of time; a cancelled limit is dropped at once. */
  private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

  private static ScheduledThreadPoolExecutor timeouts() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "kickdrift-shell-timeouts");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Kills shells whose command ran out of time. */
  private static final ExecutorService KILLS =
      Executors.newCachedThreadPool(
          r -> {
            Thread th = new Thread(r, "kickdrift-shell-kill");
            th.setDaemon(true);
            return th;
          });

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int EXPIRED = 2;

  private final String name;
  private final String sudoUser;
  private final Duration timeout;
  private final Process p;
  private final Framing framing;

  /** Why this shell runs no more commands; null while it does. */
  private String dead;

  /**
   * @param name how messages name the host
   * @param sudoUser the login user when the shell is {@code sudo -n -- sh}, else null
   * @param shellCommand {@code sh}, or {@code sudo -n -- sh} for a login user who is not root
   */
  ShellChannel(String name, String sudoUser, Opener opener, String shellCommand, Duration timeout)
      throws SshException {
    this.name = name;
    this.sudoUser = sudoUser;
    this.timeout = timeout;
    this.framing = new Framing(HexFormat.of().formatHex(randomBytes()));
    this.p = opener.open(shellCommand);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Override
  public Output run(String command) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Output o = run(command, out);
    return new Output(o.exit(), out.toByteArray(), o.stderr());
  }

  @Override
  public synchronized Output run(String command, OutputStream stdout) throws IOException {
    if (dead != null) {
      throw new IOException(name + ": " + dead + "; not run: " + command);
    }
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> limit =
        TIMEOUTS.schedule(
            () -> {
              if (state.compareAndSet(RUNNING, EXPIRED)) {
                KILLS.execute(p::kill); // closing may wait: not on the one timer thread
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    Framing.Ended ended = null;
    Exception failure = null;
    try {
      p.stdin().write(framing.script(command).getBytes(StandardCharsets.UTF_8));
      p.stdin().flush();
      ended = framing.read(p.stdout(), stdout);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      limit.cancel(false);
    }
    if (ended != null && state.compareAndSet(RUNNING, DONE)) {
      return new Output(ended.exit(), new byte[0], ended.stderr());
    }
    // Whatever went wrong, where the shell is in its output is unknown: it runs nothing more.
    boolean expired = state.get() == EXPIRED;
    IOException why;
    if (expired) {
      why =
          new IOException(
              name + ": command timed out after " + Ssh.seconds(timeout) + ": " + command);
      dead = "the shell was ended when a command timed out";
    } else if (failure == null || p.exit() != null) {
      why = ended(command);
      dead = "the shell had ended";
    } else {
      why = new IOException(name + ": " + command + ": " + failure.getMessage(), failure);
      dead = "the shell was ended after a command failed";
    }
    p.kill();
    throw why;
  }

  /** The shell is gone: what it said, when it said why (sudo asking for a password). */
  private IOException ended(String command) {
    String err = p.stderr();
    if (sudoUser != null && err.contains("a password is required")) {
      return new IOException(
          name
              + ": sudo needs a password for "
              + sudoUser
              + " (kickdrift runs sudo -n; allow NOPASSWD for the scan command)");
    }
    Integer exit = p.exit();
    return new IOException(
        name
            + ": the shell ended"
            + (exit != null ? " (exit " + exit + ")" : "")
            + " while running: "
            + command
            + (err.isBlank() ? "" : ": " + Agentless.lastLine(err)));
  }

  @Override
  public String name() {
    return name;
  }

  /** Ends the shell's input: it exits after the command it runs. */
  @Override
  public void close() {
    try {
      p.stdin().close();
    } catch (IOException e) {
      p.kill();
    }
  }

  /** Writing a command and reading its answer; pure but for the streams it is handed. */
  record Framing(String nonce) {
    /** How a command ended: its exit status and stderr. */
    record Ended(int exit, String stderr) {}

    String script(String command) {
      return "{ e=$( { "
          + command
          + "\n} </dev/null 2>&1 >&3 3>&-); r=$?; } 3>&1; printf '\\n"
          + nonce
          + " %s\\n%s\\n"
          + nonce
          + "\\n' \"$r\" \"$e\"\n";
    }

    /**
     * Copies {@code in} to {@code out} up to the end of one command's stdout, and reads how it
     * ended; null when {@code in} ends first.
     */
    Ended read(InputStream in, OutputStream out) throws IOException {
      Cursor c = new Cursor(in);
      if (!c.copyUntil(out, ("\n" + nonce + " ").getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
      ByteArrayOutputStream status = new ByteArrayOutputStream();
      if (!c.copyUntil(status, new byte[] {'\n'})) {
        return null;
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      if (!c.copyUntil(err, ("\n" + nonce + "\n").getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
      if (c.held() > 0) {
        throw new IOException("output after the end of a command's frame: " + c.held() + " bytes");
      }
      String s = status.toString(StandardCharsets.US_ASCII);
      try {
        return new Ended(Integer.parseInt(s), err.toString(StandardCharsets.UTF_8));
      } catch (NumberFormatException e) {
        throw new IOException("not an exit status after the command's output: '" + s + "'");
      }
    }

    /** A stream read in blocks, with what was read past a mark kept for the next. */
    private static final class Cursor {
      private final InputStream in;
      private final byte[] buf = new byte[1 << 16];
      private int start;
      private int end;

      Cursor(InputStream in) {
        this.in = in;
      }

      int held() {
        return end - start;
      }

      /**
       * Copies bytes to {@code out} until {@code mark}, which is read but not copied; false when
       * the stream ends first. Holds back no more than the mark's length.
       */
      boolean copyUntil(OutputStream out, byte[] mark) throws IOException {
        int from = start;
        while (true) {
          int at = indexOf(buf, from, end, mark);
          if (at >= 0) {
            out.write(buf, start, at - start);
            start = at + mark.length;
            return true;
          }
          int keep = Math.min(end - start, mark.length - 1);
          out.write(buf, start, end - start - keep);
          System.arraycopy(buf, end - keep, buf, 0, keep);
          start = 0;
          end = keep;
          from = 0;
          int n = in.read(buf, end, buf.length - end);
          if (n < 0) {
            return false;
          }
          end += n;
        }
      }
    }

    private static int indexOf(byte[] b, int from, int end, byte[] mark) {
      outer:
      for (int i = from; i + mark.length <= end; i++) {
        for (int j = 0; j < mark.length; j++) {
          if (b[i + j] != mark[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
