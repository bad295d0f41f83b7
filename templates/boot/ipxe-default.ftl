#!ipxe
# iPXE entry script, rendered by kickdrift from [=ipxe.text(site.source)]: chains the script for this
# machine's MAC, or boots the local disk when the inventory does not list it.
chain --autofree [=ipxe.word(site.baseUrl)]/ipxe/01-${mac:hexhyp}.ipxe || goto local
:local
echo kickdrift: no install for ${mac}; booting the local disk
exit
