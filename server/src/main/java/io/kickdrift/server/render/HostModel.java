package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.EffectiveProfile;
import java.util.List;
import java.util.Map;

/**
 * Everything a template may say about one host, resolved from the inventory: its profile with the
 * parent chain applied, its variables (defaults, then profile chain, then host), the URLs it
 * fetches its kickstart from and calls back to (both carry its token), the boot images, and the
 * GRUB commands that load them ({@code linux}/{@code initrd} or {@code linuxefi}/{@code initrdefi},
 * see {@link Distro#grubLinuxCommand()}). {@code rootPasswordHash} and {@code scanKey} are null
 * when not set. {@code desired} is what its kickstart lays down from the desired state ({@link
 * DesiredModel#NONE} when none). Templates see these components as plain values (see {@link
 * PlainValues}).
 */
public record HostModel(
    String name,
    String shortName,
    String domain,
    List<NicModel> nics,
    NicModel primary,
    boolean netboot,
    EffectiveProfile profile,
    Distro distro,
    String ksVersion,
    Map<String, String> vars,
    String ksUrl,
    String callbackUrl,
    String rootPasswordHash,
    String scanKey,
    BootImage kernel,
    BootImage initrd,
    String kernelArgs,
    String grubLinux,
    String grubInitrd,
    DesiredModel desired) {
  public HostModel {
    nics = List.copyOf(nics);
    vars = Map.copyOf(vars);
  }
}
