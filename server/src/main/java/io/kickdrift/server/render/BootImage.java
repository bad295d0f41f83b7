package io.kickdrift.server.render;

/**
 * A kernel or initrd as each boot program names it. The inventory gives a URL or a path under the
 * TFTP root: pxelinux takes either as written (lpxelinux.0 fetches URLs), GRUB writes a URL as
 * {@code (http,host)/path}, iPXE fetches a path from the TFTP server.
 */
record BootImage(String pxelinux, String grub, String ipxe) {
  static BootImage of(String location, String tftpServer) {
    if (location.startsWith("http://")) {
      String rest = location.substring("http://".length());
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "/" : rest.substring(slash);
      int colon = authority.lastIndexOf(':');
      String grubDevice =
          colon < 0
              ? "(http," + authority + ")"
              : "(http,"
                  + authority.substring(0, colon)
                  + ","
                  + authority.substring(colon + 1)
                  + ")";
      return new BootImage(location, grubDevice + path, location);
    }
    if (location.contains("://")) {
      return new BootImage(location, location, location);
    }
    String path = location.startsWith("/") ? location : "/" + location;
    return new BootImage(path, path, "tftp://" + tftpServer + path);
  }
}
