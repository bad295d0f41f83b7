package io.kickdrift.server.render;

import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.inventory.EffectiveProfile;
import io.kickdrift.server.inventory.Family;
import io.kickdrift.server.lint.DeclaredSections;
import io.kickdrift.server.lint.KickstartLint;
import io.kickdrift.server.lint.LintProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Renders the whole output tree in memory: relative path to file content. Hosts render in parallel;
 * the first failure stops the render and names template, line and host. Every kickstart is linted
 * ({@link KickstartLint}): one Anaconda would reject fails the render.
 *
 * <pre>
 * kickstarts/HOST.ks                  one per host
 * pxelinux.cfg/01-aa-bb-cc-dd-ee-ff   BIOS pxelinux, one per interface, and default
 * grub/grub.cfg-01-aa-bb-cc-dd-ee-ff  UEFI GRUB, one per interface (also as grub.cfg-aa:bb:…),
 *                                     and grub/grub.cfg
 * ipxe/01-aa-bb-cc-dd-ee-ff.ipxe      iPXE, one per interface, and ipxe/boot.ipxe
 * dhcp/dhcpd.conf, dhcp/kea-dhcp4.conf, dhcp/dnsmasq.conf
 * </pre>
 */
public final class TreeRenderer {
  /** The boot-menu kinds: template name and output path of a host's menu and the default one. */
  public enum Menu {
    PXELINUX(
        "boot/pxelinux.ftl",
        "pxelinux.cfg/%s",
        "boot/pxelinux-default.ftl",
        "pxelinux.cfg/default"),
    GRUB("boot/grub.ftl", "grub/grub.cfg-%s", "boot/grub-default.ftl", "grub/grub.cfg"),
    IPXE("boot/ipxe.ftl", "ipxe/%s.ipxe", "boot/ipxe-default.ftl", "ipxe/boot.ipxe");

    final String hostTemplate;
    final String hostPath;
    final String defaultTemplate;
    final String defaultPath;

    Menu(String hostTemplate, String hostPath, String defaultTemplate, String defaultPath) {
      this.hostTemplate = hostTemplate;
      this.hostPath = hostPath;
      this.defaultTemplate = defaultTemplate;
      this.defaultPath = defaultPath;
    }

    /** Where a host's menu of this kind lives for one interface ({@link NicModel#pxeName}). */
    public String hostPath(String pxeName) {
      return hostPath.formatted(pxeName);
    }

    /** Where the default menu of this kind lives in the tree, e.g. {@code grub/grub.cfg}. */
    public String defaultPath() {
      return defaultPath;
    }
  }

  /**
   * The built-in kickstart templates, one per family and major version ({@link
   * #kickstartTemplate}).
   */
  public static final List<String> BUILT_IN_KICKSTARTS =
      List.of("rhel8.ks.ftl", "rhel9.ks.ftl", "rhel10.ks.ftl", "fedora.ks.ftl");

  static final List<String> DHCP_CONFIGS = List.of("dhcpd.conf", "kea-dhcp4.conf", "dnsmasq.conf");

  private final Templates templates;
  private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

  /** The script sections each kickstart template starts, with its snippets, read once. */
  private final Map<String, DeclaredSections> declared = new ConcurrentHashMap<>();

  public TreeRenderer(Templates templates) {
    this.templates = templates;
  }

  /** The templates it renders with. */
  public Templates templates() {
    return templates;
  }

  /**
   * The kickstart template a host uses: its profile's, else the one for its distro's family.
   *
   * @throws RenderException for a family without built-in templates (Debian, Ubuntu) when the
   *     profile names none
   */
  public static String kickstartTemplate(HostModel host) throws RenderException {
    return kickstartTemplate(host.profile(), host.name());
  }

  /** The same, for a profile (with its chain applied) of the named host. */
  public static String kickstartTemplate(EffectiveProfile profile, String host)
      throws RenderException {
    if (profile.kickstart() != null) {
      return profile.kickstart();
    }
    Family family = profile.distro().family();
    if (!family.kickstarts()) {
      throw new RenderException(
          "no kickstart template for family "
              + family.id()
              + "; host "
              + LogText.of(host)
              + " uses distro "
              + LogText.of(profile.distro().name())
              + ", and the built-in templates are for rhel, rocky, alma and fedora only:"
              + " set the profile's kickstart to a template of your own");
    }
    if (family == Family.FEDORA) {
      return "fedora.ks.ftl";
    }
    int major = profile.distro().major();
    return "rhel" + (major <= 8 ? 8 : Math.min(major, 10)) + ".ks.ftl";
  }

  /** The whole tree, sorted by path. */
  public SortedMap<String, byte[]> render(SiteModel site) throws RenderException {
    return render(site, Set.of(), (host, paths) -> {});
  }

  /**
   * The tree without the files of the hosts in {@code skip} (their files stay as they are: see
   * {@link ModelDigest}); {@code rendered} is told the paths of each host rendered.
   */
  public SortedMap<String, byte[]> render(
      SiteModel site, Set<String> skip, BiConsumer<String, Set<String>> rendered)
      throws RenderException {
    SortedMap<String, byte[]> tree = new TreeMap<>();
    try {
      site.hosts().parallelStream()
          .filter(h -> !skip.contains(h.name()))
          .map(h -> Map.entry(h.name(), renderHostUnchecked(site, h)))
          .toList()
          .forEach(
              e -> {
                rendered.accept(e.getKey(), e.getValue().keySet());
                tree.putAll(e.getValue());
              });
    } catch (Unchecked e) {
      throw e.cause;
    }
    Map<String, Object> root = Map.of("site", site);
    for (Menu menu : Menu.values()) {
      put(tree, menu.defaultPath, renderDefault(site, menu));
    }
    for (String config : DHCP_CONFIGS) {
      put(tree, "dhcp/" + config, templates.render("dhcp/" + config + ".ftl", root, config));
    }
    return tree;
  }

  /** One host's files: its kickstart and a menu of each kind per interface. */
  public Map<String, byte[]> renderHost(SiteModel site, HostModel host) throws RenderException {
    Map<String, byte[]> files = new HashMap<>();
    put(files, "kickstarts/" + host.name() + ".ks", renderKickstart(site, host));
    for (NicModel nic : host.nics()) {
      for (Menu menu : Menu.values()) {
        String menuText = renderMenu(site, host, nic, menu);
        put(files, menu.hostPath.formatted(nic.pxeName()), menuText);
        if (menu == Menu.GRUB) {
          // the name grub-default.ftl's configfile fallback asks for: $net_default_mac
          put(files, menu.hostPath.formatted(nic.mac()), menuText);
        }
      }
    }
    return files;
  }

  /** A host's kickstart, linted: one Anaconda would reject is a {@link RenderException}. */
  public String renderKickstart(SiteModel site, HostModel host) throws RenderException {
    String template = kickstartTemplate(host);
    String kickstart =
        templates.render(
            template, Map.of("site", site, "host", host), "host " + LogText.of(host.name()));
    lint(host, template, kickstart);
    return kickstart;
  }

  /** The menu of one kind for one interface of a host. */
  public String renderMenu(SiteModel site, HostModel host, NicModel nic, Menu menu)
      throws RenderException {
    return templates.render(
        menu.hostTemplate,
        Map.of("site", site, "host", host, "nic", nic),
        "host " + LogText.of(host.name()) + " " + LogText.of(nic.mac()));
  }

  /** The menu of one kind for machines without their own. */
  public String renderDefault(SiteModel site, Menu menu) throws RenderException {
    return templates.render(menu.defaultTemplate, Map.of("site", site), "the default menu");
  }

  /**
   * Lints a rendered kickstart as Anaconda would read it: an error fails the render (a machine
   * would not install, or a script section no template starts is in it), a warning is kept for
   * {@link #warnings()}.
   */
  private void lint(HostModel host, String template, String kickstart) throws RenderException {
    String source = "kickstarts/" + LogText.of(host.name()) + ".ks";
    List<LintProblem> problems =
        KickstartLint.lint(
            source,
            kickstart,
            declaredSections(template)
                .as("no template of profile " + LogText.of(host.profile().name())));
    List<LintProblem> errors =
        problems.stream().filter(p -> p.severity() == LintProblem.Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new RenderException(
          "the kickstart for host "
              + LogText.of(host.name())
              + " (template "
              + template
              + ") would be rejected: "
              + String.join("; ", errors.stream().map(LintProblem::toString).toList()));
    }
    problems.forEach(p -> warnings.add(p.toString()));
  }

  /** The script sections {@code template} and the snippets it includes start. */
  public DeclaredSections declaredSections(String template) throws RenderException {
    DeclaredSections known = declared.get(template);
    if (known != null) {
      return known;
    }
    try {
      DeclaredSections read = DeclaredSections.of(List.of(template), templates::source);
      declared.putIfAbsent(template, read);
      return read;
    } catch (IOException e) {
      throw new RenderException("template " + template + ": " + e.getMessage(), e);
    }
  }

  /** The lint warnings of the kickstarts rendered so far ({@code file:line: warning: …}). */
  public List<String> warnings() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }

  private Map<String, byte[]> renderHostUnchecked(SiteModel site, HostModel host) {
    try {
      return renderHost(site, host);
    } catch (RenderException e) {
      throw new Unchecked(e);
    }
  }

  private static void put(Map<String, byte[]> tree, String path, String text) {
    tree.put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Unchecked extends RuntimeException {
    final RenderException cause;

    Unchecked(RenderException cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }
}
