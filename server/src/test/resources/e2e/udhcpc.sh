#!/bin/sh
# busybox udhcpc's hook in the end-to-end test's initramfs: configure the address it got.
case "$1" in
  bound|renew)
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via "${router%% *}"
    echo "kdtest: dhcp bound $ip" ;;
esac
