#!ipxe
<#include "args.ftl">
# iPXE script for [=host.name] ([=nic.mac]), rendered by kickdrift from [=site.source]
<#if host.netboot>
# netboot enabled: installs [=host.distro.name] with profile [=host.profile.name]
kernel [=host.kernel.ipxe] initrd=initrd.img [=args] || goto failed
initrd --name initrd.img [=host.initrd.ipxe] || goto failed
boot || goto failed
:failed
echo kickdrift: could not boot the installer for [=host.name]
<#else>
# netboot disabled: boots the local disk
</#if>
echo kickdrift: booting the local disk
exit
