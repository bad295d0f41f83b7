package io.kickdrift.server.loaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs package-manager queries as processes: standard output when the exit status is 0. */
public final class ProcessRunner implements PackageOwner.Runner {
  @Override
  public Optional<String> run(List<String> argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " interrupted", e);
    }
    return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
  }
}
