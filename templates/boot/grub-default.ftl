# GRUB menu for machines without their own: rendered by kickdrift from [=grub.comment(site.source)].
# Debian's and Ubuntu's netboot GRUB (grubnetx64.efi, prefix /grub) read only this file: GRUB
# searches grub.cfg-01-aa-bb-… itself only when its prefix names the (tftp) device. So this loads
# the machine's own menu, grub/grub.cfg-01-aa-bb-cc-dd-ee-ff (no test -f first: GRUB cannot stat
# a file over TFTP), and boots the local disk when there is none.
if [ -n "$net_default_mac" ]; then
  if regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)$' "$net_default_mac"; then
    configfile "$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6"
  fi
fi
set default=local
set timeout=0
menuentry 'Boot from local disk' --id local {
  exit
}
