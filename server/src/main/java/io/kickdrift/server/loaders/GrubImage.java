package io.kickdrift.server.loaders;

import java.nio.charset.StandardCharsets;

/**
 * What a GRUB EFI image supports, found in its bytes: whether its kernel command is {@code linux}
 * or {@code linuxefi}, and whether it is a PE32+ EFI application at all. Pure.
 *
 * <p>The rule: an image without a {@code linuxefi} module uses {@code linux}. An image with one
 * uses {@code linuxefi} (RHEL 8 and older, where {@code linux} cannot load a signed kernel under
 * Secure Boot) unless its {@code linux} command hands off to {@code linuxefi} itself, as Debian's
 * and Ubuntu's do (their loader carries the message "Secure Boot enabled: trying linuxefi"); then
 * {@code linux} is right and works with Secure Boot off too.
 */
final class GrubImage {
  private static final byte[] LINUXEFI_NAME = "\0linuxefi\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HANDOFF = "trying linuxefi".getBytes(StandardCharsets.US_ASCII);

  private GrubImage() {}

  /** {@code linux} or {@code linuxefi}: the command this image's menus must use. */
  public static String grubLinux(byte[] image) {
    if (indexOf(image, LINUXEFI_NAME) < 0 || indexOf(image, HANDOFF) >= 0) {
      return "linux";
    }
    return "linuxefi";
  }

  /** Whether the bytes are a PE32+ image for x86-64 with the EFI application subsystem. */
  public static boolean isEfiApplication(byte[] image) {
    if (image.length < 0x40 || image[0] != 'M' || image[1] != 'Z') {
      return false;
    }
    int pe = u32(image, 0x3c);
    if (pe < 0 || pe + 24 + 70 > image.length) {
      return false;
    }
    boolean signature =
        image[pe] == 'P' && image[pe + 1] == 'E' && image[pe + 2] == 0 && image[pe + 3] == 0;
    int machine = u16(image, pe + 4);
    int optional = pe + 24;
    int magic = u16(image, optional);
    int subsystem = u16(image, optional + 68);
    return signature && machine == 0x8664 && magic == 0x20b && subsystem == 10;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static int u32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }
}
