package io.kickdrift.server.loaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a netboot-capable GRUB EFI image with {@code grub-mkimage} when no signed one is
 * installed: the network, loader and menu modules, prefix {@code /grub} (where {@code render}
 * writes {@code grub.cfg}). Such an image is not signed, so it boots only with Secure Boot off.
 */
final class GrubBuild {
  /** The modules wanted in the image; those the module directory lacks are left out. */
  static final List<String> MODULES =
      List.of(
          "net",
          "efinet",
          "tftp",
          "http",
          "linux",
          "normal",
          "configfile",
          "echo",
          "search",
          "ls",
          "cat",
          "chain",
          "efifwsetup",
          "part_gpt",
          "part_msdos",
          "fat",
          "ext2",
          "gzio",
          "regexp",
          "test");

  private GrubBuild() {}

  /** The wanted modules present in a module directory, in {@link #MODULES} order. */
  static List<String> available(Path modules) {
    return MODULES.stream().filter(m -> Files.isRegularFile(modules.resolve(m + ".mod"))).toList();
  }

  /** Whether the tools to build are there. */
  static boolean possible(Path mkimage, Path modules) {
    return Files.isExecutable(mkimage) && Files.isRegularFile(modules.resolve("linux.mod"));
  }

  /**
   * Builds the image and returns its bytes.
   *
   * @param scratch a directory for the output file, removed again
   * @throws IOException naming the command and its error output when it fails
   */
  static byte[] build(Path mkimage, Path modules, Path scratch) throws IOException {
    Path out = Files.createTempFile(scratch, ".grubx64.efi", ".build");
    try {
      List<String> argv = new ArrayList<>();
      argv.addAll(
          List.of(
              mkimage.toString(),
              "-d",
              modules.toString(),
              "-O",
              "x86_64-efi",
              "-p",
              "/grub",
              "-o",
              out.toString()));
      argv.addAll(available(modules));
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(mkimage + " did not finish in 120 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException(mkimage + " interrupted", e);
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", argv) + " exited " + p.exitValue() + ": " + output.strip());
      }
      return Files.readAllBytes(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
