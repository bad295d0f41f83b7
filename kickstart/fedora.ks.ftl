#version=[=host.ksVersion]
<#-- Fedora; the version follows the distro. -->
<#include "snippets/header.ftl">
text
skipx
<#include "snippets/source.ftl">
<#include "snippets/locale.ftl">
<#include "snippets/network.ftl">
<#include "snippets/rootpw.ftl">
<#include "snippets/sshkey.ftl">
selinux --[=ks.word(host.vars.selinux!"enforcing")]
firewall --enabled --service=ssh
services --enabled=sshd
<#include "snippets/storage.ftl">
reboot
<#include "snippets/packages.ftl">
<#include "snippets/desired.ftl">
<#include "snippets/callback.ftl">
