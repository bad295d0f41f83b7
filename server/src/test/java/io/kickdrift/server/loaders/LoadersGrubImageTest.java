package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoadersGrubImageTest {
  /** Debian's signed netboot GRUB (grub-efi-amd64-signed), a peer this test needs. */
  static final Path DEBIAN_GRUB = Path.of("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void anImageWithoutALinuxefiModuleUsesLinux() {
    assertThat(GrubImage.grubLinux(bytes("LICENSE=GPLv3+\0\0boot\0linux\0\0\0")))
        .isEqualTo("linux");
    assertThat(GrubImage.grubLinux(new byte[0])).isEqualTo("linux");
  }

  @Test
  void aLinuxefiModuleNameMeansLinuxefi() {
    assertThat(GrubImage.grubLinux(bytes("LICENSE=GPLv3+\0\0boot\0linux\0linuxefi\0\0")))
        .isEqualTo("linuxefi");
  }

  @Test
  void linuxefiInsideOtherTextIsNotAModuleName() {
    assertThat(GrubImage.grubLinux(bytes("\0nolinuxefi\0linuxefix\0"))).isEqualTo("linux");
  }

  @Test
  void aLinuxCommandThatHandsOffToLinuxefiMeansLinux() {
    assertThat(
            GrubImage.grubLinux(
                bytes("Secure Boot enabled: trying linuxefi\n\0linuxefi\0initrdefi\0")))
        .isEqualTo("linux");
  }

  @Test
  void debiansSignedNetbootGrubUsesLinux() throws Exception {
    byte[] image = Files.readAllBytes(DEBIAN_GRUB);
    assertThat(GrubImage.grubLinux(image)).isEqualTo("linux");
    assertThat(GrubImage.isEfiApplication(image)).isTrue();
  }

  @Test
  void aMinimalPe32PlusEfiApplicationIsRecognised() {
    byte[] image = pe(0x8664, 0x20b, 10);
    assertThat(GrubImage.isEfiApplication(image)).isTrue();
    assertThat(GrubImage.isEfiApplication(pe(0x14c, 0x20b, 10))).as("i386").isFalse();
    assertThat(GrubImage.isEfiApplication(pe(0x8664, 0x10b, 10))).as("PE32").isFalse();
    assertThat(GrubImage.isEfiApplication(pe(0x8664, 0x20b, 3))).as("console").isFalse();
    assertThat(GrubImage.isEfiApplication(java.util.Arrays.copyOf(image, 0x90)))
        .as("truncated")
        .isFalse();
    assertThat(GrubImage.isEfiApplication(bytes("#!/bin/sh\n"))).isFalse();
  }

  /** MZ header pointing at 0x80, PE signature, COFF header, optional header up to Subsystem. */
  private static byte[] pe(int machine, int magic, int subsystem) {
    byte[] b = new byte[0x80 + 24 + 72];
    b[0] = 'M';
    b[1] = 'Z';
    b[0x3c] = (byte) 0x80;
    b[0x80] = 'P';
    b[0x81] = 'E';
    b[0x84] = (byte) machine;
    b[0x85] = (byte) (machine >> 8);
    b[0x98] = (byte) magic;
    b[0x99] = (byte) (magic >> 8);
    b[0x98 + 68] = (byte) subsystem;
    return b;
  }
}
