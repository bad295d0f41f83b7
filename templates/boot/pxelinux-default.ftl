# pxelinux menu for machines the inventory does not list: boot the local disk.
# Rendered by kickdrift from [=pxelinux.text(site.source)].
DEFAULT local
PROMPT 0
TIMEOUT 0
LABEL local
  MENU LABEL Boot from local disk
  LOCALBOOT 0
