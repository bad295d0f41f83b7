package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.EffectiveProfile;
import io.kickdrift.server.inventory.Family;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Ipv4;
import io.kickdrift.server.inventory.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Builds the template models from a loaded inventory; pure apart from nothing. */
public final class Models {
  private Models() {}

  /**
   * The site model with one host model per inventory host, in inventory order.
   *
   * @param source the inventory's file name, for the "generated from" headers
   * @param tokens what each host's kickstart and callback URLs carry
   * @throws RenderException when the server has no address and no subnet names a next-server
   */
  public static SiteModel site(Inventory inventory, String source, InstallTokens tokens)
      throws RenderException {
    return site(inventory, source, tokens, name -> DesiredModel.NONE);
  }

  /**
   * As {@link #site(Inventory, String, InstallTokens)}, each host's kickstart laying down its
   * desired state.
   *
   * @param desired each host's, by name
   */
  public static SiteModel site(
      Inventory inventory,
      String source,
      InstallTokens tokens,
      Function<String, DesiredModel> desired)
      throws RenderException {
    String address = serverAddress(inventory);
    String baseUrl = inventory.server().baseUrl(address);
    List<HostModel> hosts =
        inventory.hosts().parallelStream()
            .map(h -> host(inventory, h, address, baseUrl, tokens, desired.apply(h.name())))
            .toList();
    return site(inventory, source, address, baseUrl, hosts);
  }

  /**
   * The site model without per-host models ({@code hosts} empty), for a server that renders each
   * host's files on request ({@code serve}, DHCP): building thousands of host models on every
   * reload would only compete with the requests for the CPU.
   *
   * @throws RenderException when the server has no address and no subnet names a next-server
   */
  public static SiteModel site(Inventory inventory, String source) throws RenderException {
    String address = serverAddress(inventory);
    return site(inventory, source, address, inventory.server().baseUrl(address), List.of());
  }

  private static SiteModel site(
      Inventory inventory, String source, String address, String baseUrl, List<HostModel> hosts) {
    return new SiteModel(
        inventory.server(),
        address,
        baseUrl,
        baseUrl + "/ipxe/boot.ipxe",
        source,
        subnets(inventory),
        hosts);
  }

  private static List<SubnetModel> subnets(Inventory inventory) {
    List<Subnet> all = inventory.subnets();
    List<Ipv4.Cidr> cidrs = new ArrayList<>();
    List<List<SubnetModel.Reservation>> reservations = new ArrayList<>();
    for (Subnet s : all) {
      cidrs.add(Ipv4.Cidr.parse(s.network()).orElseThrow());
      reservations.add(new ArrayList<>());
    }
    // one pass over the hosts, each address parsed once: a subnet's reservations in host order
    for (Host h : inventory.hosts()) {
      int dot = h.name().indexOf('.');
      String shortName = dot < 0 ? h.name() : h.name().substring(0, dot);
      for (Interface nic : h.interfaces()) {
        long ip = nic.ip() == null ? Ipv4.MALFORMED : Ipv4.parse(nic.ip());
        if (ip == Ipv4.MALFORMED) {
          continue;
        }
        for (int i = 0; i < cidrs.size(); i++) {
          if (cidrs.get(i).contains(ip)) {
            reservations
                .get(i)
                .add(
                    new SubnetModel.Reservation(
                        h.name(), shortName, nic.name(), nic.mac(), nic.ip()));
          }
        }
      }
    }
    List<SubnetModel> subnets = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      subnets.add(subnet(i + 1, all.get(i), cidrs.get(i), reservations.get(i)));
    }
    return subnets;
  }

  /** The address machines reach the server at: server.address, else a subnet's next-server. */
  public static String serverAddress(Inventory inventory) throws RenderException {
    if (inventory.server().address() != null) {
      return inventory.server().address();
    }
    return inventory.subnets().stream()
        .map(Subnet::nextServer)
        .filter(a -> a != null)
        .findFirst()
        .orElseThrow(
            () ->
                new RenderException(
                    "server.address is not set and no subnet has a next-server; expected the"
                        + " address machines reach kickdrift at"));
  }

  /** One host's model, as {@link #site} builds it, without desired state. */
  public static HostModel host(
      Inventory inventory, Host host, String address, String baseUrl, InstallTokens tokens) {
    return host(inventory, host, address, baseUrl, tokens, DesiredModel.NONE);
  }

  /** One host's model, as {@link #site} builds it. */
  public static HostModel host(
      Inventory inventory,
      Host host,
      String address,
      String baseUrl,
      InstallTokens tokens,
      DesiredModel desired) {
    EffectiveProfile profile =
        inventory.effective(
            inventory
                .profile(host.profile())
                .orElseThrow(() -> new IllegalStateException("unknown profile " + host.profile())));
    Distro distro = profile.distro();
    List<NicModel> nics =
        host.interfaces().stream().map(nic -> nic(nic, subnetOf(inventory, nic.ip()))).toList();
    NicModel primary =
        nics.stream()
            .filter(NicModel::isStatic)
            .findFirst()
            .orElse(nics.isEmpty() ? null : nics.get(0));
    int dot = host.name().indexOf('.');
    String shortName = dot < 0 ? host.name() : host.name().substring(0, dot);
    String domain =
        dot < 0 ? (primary == null ? null : primary.domain()) : host.name().substring(dot + 1);
    Map<String, String> vars = inventory.variables(host);
    String token = tokens.token(host.name()).orElse(InstallTokens.NONE);
    return new HostModel(
        host.name(),
        shortName,
        domain,
        nics,
        primary,
        host.netboot(),
        profile,
        distro,
        ksVersion(distro),
        vars,
        baseUrl + "/ks/" + host.name() + "/" + token,
        baseUrl + "/callback/" + host.name() + "/" + token,
        vars.get("root-password-hash"),
        inventory.server().scanKey(),
        BootImage.of(distro.kernel(), address),
        BootImage.of(distro.initrd(), address),
        vars.getOrDefault("kernel-args", ""),
        distro.grubLinuxCommand(),
        distro.grubInitrdCommand(),
        desired);
  }

  /** The pykickstart syntax version: {@code RHEL9}, {@code F41}. */
  static String ksVersion(Distro distro) {
    return (distro.family() == Family.FEDORA ? "F" : "RHEL") + distro.major();
  }

  private static Optional<Subnet> subnetOf(Inventory inventory, String ip) {
    return ip == null
        ? Optional.empty()
        : inventory.subnets().stream().filter(s -> s.contains(ip)).findFirst();
  }

  private static NicModel nic(Interface nic, Optional<Subnet> subnet) {
    String pxeName = "01-" + nic.mac().replace(':', '-');
    if (subnet.isEmpty()) {
      return new NicModel(
          nic.name(), nic.mac(), pxeName, nic.ip(), null, 0, null, List.of(), null, null);
    }
    Subnet s = subnet.get();
    Ipv4.Cidr cidr = Ipv4.Cidr.parse(s.network()).orElseThrow();
    return new NicModel(
        nic.name(),
        nic.mac(),
        pxeName,
        nic.ip(),
        Ipv4.format(cidr.mask()),
        cidr.prefix(),
        s.router(),
        s.dns(),
        s.domain(),
        s.nextServer());
  }

  private static SubnetModel subnet(
      int id, Subnet s, Ipv4.Cidr cidr, List<SubnetModel.Reservation> reservations) {
    return new SubnetModel(
        id,
        "net" + id,
        s.network(),
        Ipv4.format(cidr.network()),
        Ipv4.format(cidr.mask()),
        cidr.prefix(),
        s.router(),
        s.dns(),
        s.domain(),
        s.nextServer(),
        s.range() == null ? null : s.range().start(),
        s.range() == null ? null : s.range().end(),
        reservations);
  }
}
