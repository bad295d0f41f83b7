#!ipxe
<#include "args.ftl">
# iPXE script for [=ipxe.text(host.name)] ([=ipxe.text(nic.mac)]), rendered by kickdrift from [=ipxe.text(site.source)]
<#if host.netboot>
# netboot enabled: installs [=ipxe.text(host.distro.name)] with profile [=ipxe.text(host.profile.name)]
kernel [=ipxe.word(host.kernel.ipxe)] initrd=initrd.img [=ipxe.text(args)] || goto failed
initrd --name initrd.img [=ipxe.word(host.initrd.ipxe)] || goto failed
boot || goto failed
:failed
echo kickdrift: could not boot the installer for [=ipxe.text(host.name)]
<#else>
# netboot disabled: boots the local disk
</#if>
echo kickdrift: booting the local disk
exit
