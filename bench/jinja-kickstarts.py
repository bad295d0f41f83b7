#!/usr/bin/env python3
"""The in-run anchor of bench/render-1000.sh: a Cobbler-like engine (Python 3 + Jinja2) renders
one kickstart per host of a kickdrift inventory to OUTDIR, whole process. The template is the
RHEL kickstart of kickstart/rhel9.ks.ftl with its snippets as Jinja2 includes; host data is
resolved as kickdrift resolves it (profile chain from the root down, variables defaults <
profiles < host, each NIC's subnet). Files are written plainly, without fsync, as Cobbler does.

    python3 bench/jinja-kickstarts.py INVENTORY OUTDIR
"""
import hashlib
import hmac
import ipaddress
import os
import sys

import jinja2
import yaml

SNIPPETS = {
    "header": """# Kickstart for {{ host.name }}, rendered by jinja2 from {{ source }}; edit the inventory or
# the templates, not this file.
# Profile {{ host.profile.name }}, distro {{ host.distro.name }} ({{ host.distro.family|lower }} {{ host.distro.version }} {{ host.distro.arch }}).
""",
    "source": """url --url={{ host.distro['install-tree'] }}
{% for repo in host.profile.repos %}repo --name={{ repo.name }} --baseurl={{ repo.baseurl }}
{% endfor %}""",
    "locale": """lang {{ host.vars.lang|default("en_US.UTF-8") }}
keyboard --vckeymap={{ host.vars.keyboard|default("us") }} --xlayouts={{ host.vars.keyboard|default("us") }}
timezone {{ host.vars.timezone|default("UTC") }} --utc
{% if "ntp-server" in host.vars %}timesource --ntp-server={{ host.vars["ntp-server"] }}
{% endif %}""",
    "network": """{% for nic in host.nics %}{% if nic.ip %}network --device={{ nic.mac }} --bootproto=static --ip={{ nic.ip }}{% if nic.netmask %} --netmask={{ nic.netmask }}{% endif %}{% if nic.gateway and loop.first %} --gateway={{ nic.gateway }}{% endif %}{% if nic.dns %} --nameserver={{ nic.dns|join(",") }}{% endif %} --onboot=yes --activate
{% else %}network --device={{ nic.mac }} --bootproto=dhcp --onboot=yes --activate
{% endif %}{% endfor %}network --hostname={{ host.name }}
""",
    "rootpw": """{% if host.vars["root-password-hash"] %}rootpw --iscrypted {{ host.vars["root-password-hash"] }}
{% else %}rootpw --lock
{% endif %}""",
    "storage": """{% if "install-disk" in host.vars %}ignoredisk --only-use={{ host.vars["install-disk"] }}
{% endif %}zerombr
clearpart --all --initlabel
{{ host.profile.partitioning|default("autopart") }}
bootloader --timeout=1
""",
    "packages": """%packages
{% for package in host.profile.packages %}{{ package }}
{% endfor %}%end
""",
    "callback": """%post --nochroot --log=/mnt/sysimage/root/kickdrift-callback.log
curl -fsS --retry 30 --retry-delay 10 --retry-connrefused --max-time 30 -X POST "{{ host.callback_url }}" \\
  || echo "kickdrift: the install callback failed; the host will netboot again"
%end
""",
}
KICKSTART = """#version=RHEL9
{% include "header" %}text
skipx
{% include "source" %}{% include "locale" %}{% include "network" %}{% include "rootpw" %}selinux --{{ host.vars.selinux|default("enforcing") }}
firewall --enabled --service=ssh
services --enabled=sshd
{% include "storage" %}reboot
{% include "packages" %}{% include "callback" %}"""


def main(inventory_path, out):
    with open(inventory_path) as f:
        inv = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    env = jinja2.Environment(
        loader=jinja2.DictLoader(dict(SNIPPETS, kickstart=KICKSTART)),
        keep_trailing_newline=True,
        autoescape=False,
    )
    template = env.get_template("kickstart")
    distros = {d["name"]: d for d in inv["distros"]}
    profiles = {p["name"]: p for p in inv["profiles"]}
    subnets = [(ipaddress.ip_network(s["network"]), s) for s in inv["subnets"]]
    defaults = inv.get("defaults", {}).get("variables", {})
    address = inv["server"]["address"]
    key = bytes(32)
    effective = {}

    def profile_of(name):
        if name not in effective:
            chain = []
            p = profiles[name]
            while p:
                chain.insert(0, p)
                p = profiles.get(p.get("parent"))
            e = {"name": name, "packages": [], "repos": [], "vars": {}}
            for p in chain:
                e["distro"] = p.get("distro", e.get("distro"))
                e["partitioning"] = p.get("partitioning", e.get("partitioning"))
                e["packages"] += p.get("packages", [])
                e["repos"] += p.get("repos", [])
                e["vars"].update(p.get("variables", {}))
            effective[name] = e
        return effective[name]

    os.makedirs(os.path.join(out, "kickstarts"), exist_ok=True)
    for h in inv["hosts"]:
        profile = profile_of(h["profile"])
        variables = dict(defaults, **profile["vars"], **h.get("variables", {}))
        nics = []
        for i in h.get("interfaces", []):
            ip = ipaddress.ip_address(i["ip"]) if "ip" in i else None
            subnet = next((s for n, s in subnets if ip in n), None) if ip else None
            nics.append({
                "mac": i["mac"], "ip": i.get("ip"),
                "netmask": str(ipaddress.ip_network(subnet["network"]).netmask) if subnet else None,
                "gateway": subnet.get("router") if subnet else None,
                "dns": subnet.get("dns", []) if subnet else [],
            })
        token = hmac.new(key, h["name"].encode(), hashlib.sha256).hexdigest()[:32]
        host = {
            "name": h["name"], "profile": profile, "distro": distros[profile["distro"]],
            "vars": variables, "nics": nics,
            "callback_url": "http://%s/callback/%s/%s" % (address, h["name"], token),
        }
        text = template.render(host=host, source=os.path.basename(inventory_path))
        with open(os.path.join(out, "kickstarts", h["name"] + ".ks"), "w") as f:
            f.write(text)
    print("rendered %d kickstarts into %s" % (len(inv["hosts"]), out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
