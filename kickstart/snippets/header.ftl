<#-- Every value goes through ks.*: ks.word for a word of a command, ks.comment in a comment. -->
# Kickstart for [=ks.comment(host.name)], rendered by kickdrift from [=ks.comment(site.source)];
# edit the inventory or the templates, not this file.
# Profile [=ks.comment(host.profile.name)], distro [=ks.comment(host.distro.name)] ([=host.distro.family?lower_case] [=ks.comment(host.distro.version)] [=ks.comment(host.distro.arch)]).
