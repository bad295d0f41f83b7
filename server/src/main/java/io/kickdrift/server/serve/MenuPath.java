package io.kickdrift.server.serve;

import io.kickdrift.server.render.TreeRenderer.Menu;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A boot-menu request path, as pxelinux, GRUB and iPXE ask for them: a MAC's own menu ({@code
 * pxelinux.cfg/01-aa-bb-…}, {@code grub/grub.cfg-01-aa-bb-…} or {@code grub/grub.cfg-aa:bb:…},
 * {@code ipxe/01-aa-bb-….ipxe}) or a default one; {@code mac} is null for a default.
 */
record MenuPath(Menu menu, String mac) {
  private static final String HEX = "[0-9a-f]{2}";
  private static final String DASHED = HEX + "(?:-" + HEX + "){5}";
  private static final String COLONS = HEX + "(?::" + HEX + "){5}";
  private static final Pattern PXELINUX = Pattern.compile("pxelinux\\.cfg/01-(" + DASHED + ")");
  private static final Pattern GRUB =
      Pattern.compile("grub/grub\\.cfg-(?:01-(" + DASHED + ")|(" + COLONS + "))");
  private static final Pattern IPXE = Pattern.compile("ipxe/01-(" + DASHED + ")\\.ipxe");

  /** The menu a path asks for, or empty for any other path. */
  static Optional<MenuPath> parse(String requested) {
    String path = requested.startsWith("/") ? requested.substring(1) : requested;
    path = path.toLowerCase(Locale.ROOT);
    for (Menu menu : Menu.values()) {
      if (path.equals(menu.defaultPath())) {
        return Optional.of(new MenuPath(menu, null));
      }
    }
    Matcher m = PXELINUX.matcher(path);
    if (m.matches()) {
      return Optional.of(new MenuPath(Menu.PXELINUX, m.group(1).replace('-', ':')));
    }
    m = GRUB.matcher(path);
    if (m.matches()) {
      String mac = m.group(1) != null ? m.group(1).replace('-', ':') : m.group(2);
      return Optional.of(new MenuPath(Menu.GRUB, mac));
    }
    m = IPXE.matcher(path);
    if (m.matches()) {
      return Optional.of(new MenuPath(Menu.IPXE, m.group(1).replace('-', ':')));
    }
    return Optional.empty();
  }
}
