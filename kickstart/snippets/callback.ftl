<#-- Runs in the installer, which has curl, after the system is installed: kickdrift then
     switches this host to local boot, so it does not install itself again. Retried for about
     five minutes: a serve restarting (refused) or without its database (503) takes it later. -->
%post --nochroot --log=/mnt/sysimage/root/kickdrift-callback.log
curl -fsS --retry 30 --retry-delay 10 --retry-connrefused --max-time 30 -X POST "[=sh.inDoubleQuotes(host.callbackUrl)]" \
  || echo "kickdrift: the install callback failed; the host will netboot again"
%end
