<#include "args.ftl">
# pxelinux menu for [=pxelinux.text(host.name)] ([=pxelinux.text(nic.mac)]), rendered by kickdrift from [=pxelinux.text(site.source)]
<#if host.netboot>
# netboot enabled: installs [=pxelinux.text(host.distro.name)] with profile [=pxelinux.text(host.profile.name)]
DEFAULT install
PROMPT 0
TIMEOUT 50
LABEL install
  MENU LABEL Install [=pxelinux.text(host.name)] ([=pxelinux.text(host.distro.name)])
  KERNEL [=pxelinux.word(host.kernel.pxelinux)]
  APPEND initrd=[=pxelinux.word(host.initrd.pxelinux)] [=pxelinux.text(args)]
<#else>
# netboot disabled: boots the local disk
DEFAULT local
PROMPT 0
TIMEOUT 0
</#if>
LABEL local
  MENU LABEL Boot from local disk
  LOCALBOOT 0
