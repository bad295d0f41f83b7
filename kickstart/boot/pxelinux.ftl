<#include "args.ftl">
# pxelinux menu for [=host.name] ([=nic.mac]), rendered by kickdrift from [=site.source]
<#if host.netboot>
# netboot enabled: installs [=host.distro.name] with profile [=host.profile.name]
DEFAULT install
PROMPT 0
TIMEOUT 50
LABEL install
  MENU LABEL Install [=host.name] ([=host.distro.name])
  KERNEL [=host.kernel.pxelinux]
  APPEND initrd=[=host.initrd.pxelinux] [=args]
<#else>
# netboot disabled: boots the local disk
DEFAULT local
PROMPT 0
TIMEOUT 0
</#if>
LABEL local
  MENU LABEL Boot from local disk
  LOCALBOOT 0
