<#-- Runs in the installer, which has curl, after the system is installed: kickdrift then
     switches this host to local boot, so it does not install itself again. -->
%post --nochroot --log=/mnt/sysimage/root/kickdrift-callback.log
curl -fsS --retry 5 --retry-delay 3 --max-time 30 -X POST "[=sh.inDoubleQuotes(host.callbackUrl)]" \
  || echo "kickdrift: the install callback failed; the host will netboot again"
%end
