package io.kickdrift.server.loaders;

import java.util.List;

/**
 * One boot program the TFTP root needs: its name there, where a package installs it (tried in
 * order, absolute paths on the server), and the package that provides it on this OS family. {@code
 * grub} marks the UEFI GRUB, which may be built when no package file is found.
 */
record Wanted(String target, List<String> sources, String pkg, boolean grub) {
  public Wanted {
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(target + ": no source paths");
    }
  }
}
