# Kickstart for [=host.name], rendered by kickdrift from [=site.source];
# edit the inventory or the templates, not this file.
# Profile [=host.profile.name], distro [=host.distro.name] ([=host.distro.family?lower_case] [=host.distro.version] [=host.distro.arch]).
