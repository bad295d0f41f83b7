<#include "args.ftl">
# GRUB menu for [=grub.comment(host.name)] ([=grub.comment(nic.mac)]), rendered by kickdrift from [=grub.comment(site.source)]
<#if host.netboot>
# netboot enabled: installs [=grub.comment(host.distro.name)] with profile [=grub.comment(host.profile.name)]
set default=install
set timeout=5
menuentry 'Install [=grub.inSingleQuotes(host.name)] ([=grub.inSingleQuotes(host.distro.name)])' --id install {
  [=grub.word(host.grubLinux)] [=grub.word(host.kernel.grub)] [=grub.args(args)]
  [=grub.word(host.grubInitrd)] [=grub.word(host.initrd.grub)]
}
<#else>
# netboot disabled: boots the local disk
set default=local
set timeout=0
</#if>
menuentry 'Boot from local disk' --id local {
  exit
}
