<#-- JSON: every value goes through kea.string (JSON-escaped, one line: Kea's parser refuses
     \u escapes of line separators). -->
// Kea DHCPv4 configuration rendered by kickdrift from [=kea.string(site.source)]; edit the
// inventory, not this file. Check with: kea-dhcp4 -t kea-dhcp4.conf
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "lease-database": { "type": "memfile", "lfc-interval": 3600 },
    "valid-lifetime": 3600,
    "client-classes": [
<#if site.server.ipxeScript>
      {
        "name": "ipxe",
        "test": "substring(option[77].hex, 0, 4) == 'iPXE'",
        "boot-file-name": "[=kea.string(site.ipxeUrl)]"
      },
</#if>
      {
        "name": "uefi-x64",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>(option[93].hex == 0x0007 or option[93].hex == 0x0009)",
        "boot-file-name": "[=kea.string(site.server.uefiLoader)]"
      },
      {
        "name": "uefi-arm64",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>option[93].hex == 0x000b",
        "boot-file-name": "[=kea.string(site.server.arm64Loader)]"
      },
      {
        "name": "bios",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>option[93].hex == 0x0000",
        "boot-file-name": "[=kea.string(site.server.biosLoader)]"
      }
    ],
    "subnet4": [
<#list site.subnets as s>
      {
        "id": [=s.id],
        "subnet": "[=kea.string(s.cidr)]",
        "next-server": "[=kea.string(s.nextServer!site.serverAddress)]",
<#if s.rangeStart??>
        "pools": [ { "pool": "[=kea.string(s.rangeStart)] - [=kea.string(s.rangeEnd)]" } ],
</#if>
        "option-data": [
<#assign options = []>
<#if s.router??><#assign options = options + ['{ "name": "routers", "data": "' + kea.string(s.router) + '" }']></#if>
<#if s.dns?has_content><#assign options = options + ['{ "name": "domain-name-servers", "data": "' + kea.string(s.dns?join(", ")) + '" }']></#if>
<#if s.domain??><#assign options = options + ['{ "name": "domain-name", "data": "' + kea.string(s.domain) + '" }']></#if>
<#list options as o>
          [=o]<#sep>,</#sep>
</#list>
        ],
        "reservations": [
<#list s.reservations as r>
          { "hw-address": "[=kea.string(r.mac)]", "ip-address": "[=kea.string(r.ip)]", "hostname": "[=kea.string(r.shortName)]" }<#sep>,</#sep>
</#list>
        ]
      }<#sep>,</#sep>
</#list>
    ]
  }
}
