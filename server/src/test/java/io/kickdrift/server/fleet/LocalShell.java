package io.kickdrift.server.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A {@link RemoteShell} that is this machine's {@code sh -c}, for tests run as root. */
final class LocalShell implements RemoteShell {
  private int commands;

  @Override
  public Output run(String command) throws IOException {
    commands++;
    Process p =
        new ProcessBuilder("sh", "-c", command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    byte[] out = p.getInputStream().readAllBytes();
    try {
      int exit = p.waitFor();
      return new Output(exit, out, new String(err.join(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** How many commands ran. */
  int commands() {
    return commands;
  }

  @Override
  public String name() {
    return "local (sh -c)";
  }

  private static byte[] drain(InputStream in) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
