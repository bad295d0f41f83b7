# GRUB menu for machines without their own: rendered by kickdrift from [=site.source].
# GRUB looks up grub.cfg-01-aa-bb-cc-dd-ee-ff itself; this also tries the colon form for builds
# that do not, and otherwise boots the local disk.
if [ -n "$net_default_mac" -a -f "$prefix/grub.cfg-$net_default_mac" ]; then
  configfile "$prefix/grub.cfg-$net_default_mac"
fi
set default=local
set timeout=0
menuentry 'Boot from local disk' --id local {
  exit
}
