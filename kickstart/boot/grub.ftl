<#include "args.ftl">
# GRUB menu for [=host.name] ([=nic.mac]), rendered by kickdrift from [=site.source]
<#if host.netboot>
# netboot enabled: installs [=host.distro.name] with profile [=host.profile.name]
set default=install
set timeout=5
menuentry 'Install [=host.name] ([=host.distro.name])' --id install {
  [=host.distro.grubLinuxCommand()] [=host.kernel.grub] [=args]
  [=host.distro.grubInitrdCommand()] [=host.initrd.grub]
}
<#else>
# netboot disabled: boots the local disk
set default=local
set timeout=0
</#if>
menuentry 'Boot from local disk' --id local {
  exit
}
