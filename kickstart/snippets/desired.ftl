<#-- The host's desired state (docs/desired-state.md): each desired file with its exact mode and
     owner, written beside its place and moved over it; then the manifest that
     `kickdrift-agent scan --against-desired` compares the host with. Runs in the installed system. -->
<#if host.desired.manifest?has_content>
%post --log=/root/kickdrift-desired.log
umask 077
<#list host.desired.files as f>
<#if f.kind == "file">
mkdir -p "[=sh.inDoubleQuotes(f.dir)]"
base64 -d > "[=sh.inDoubleQuotes(f.path)].kickdrift-new" <<'KICKDRIFT_DESIRED'
<#list f.base64 as line>
[=line]
</#list>
KICKDRIFT_DESIRED
chown "[=sh.inDoubleQuotes(f.owner)]:[=sh.inDoubleQuotes(f.group)]" "[=sh.inDoubleQuotes(f.path)].kickdrift-new" \
  && chmod [=sh.inDoubleQuotes(f.mode)] "[=sh.inDoubleQuotes(f.path)].kickdrift-new" \
  && mv -f "[=sh.inDoubleQuotes(f.path)].kickdrift-new" "[=sh.inDoubleQuotes(f.path)]" \
  || echo "kickdrift: cannot lay down [=sh.inDoubleQuotes(f.path)]"
<#elseif f.kind == "link">
mkdir -p "[=sh.inDoubleQuotes(f.dir)]"
rm -f "[=sh.inDoubleQuotes(f.path)]"
ln -s "[=sh.inDoubleQuotes(f.target)]" "[=sh.inDoubleQuotes(f.path)]" \
  || echo "kickdrift: cannot link [=sh.inDoubleQuotes(f.path)]"
<#else>
rm -f "[=sh.inDoubleQuotes(f.path)]"
</#if>
</#list>
mkdir -p /var/lib/kickdrift
base64 -d > "[=sh.inDoubleQuotes(host.desired.manifestPath)]" <<'KICKDRIFT_DESIRED'
<#list host.desired.manifest as line>
[=line]
</#list>
KICKDRIFT_DESIRED
chmod 0644 "[=sh.inDoubleQuotes(host.desired.manifestPath)]"
%end
</#if>
