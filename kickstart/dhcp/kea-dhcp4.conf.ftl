<#-- JSON: every string goes through ?json_string. -->
// Kea DHCPv4 configuration rendered by kickdrift from [=site.source?json_string]; edit the
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
        "boot-file-name": "[=site.ipxeUrl?json_string]"
      },
</#if>
      {
        "name": "uefi-x64",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>(option[93].hex == 0x0007 or option[93].hex == 0x0009)",
        "boot-file-name": "[=site.server.uefiLoader?json_string]"
      },
      {
        "name": "uefi-arm64",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>option[93].hex == 0x000b",
        "boot-file-name": "[=site.server.arm64Loader?json_string]"
      },
      {
        "name": "bios",
        "test": "<#if site.server.ipxeScript>not member('ipxe') and </#if>option[93].hex == 0x0000",
        "boot-file-name": "[=site.server.biosLoader?json_string]"
      }
    ],
    "subnet4": [
<#list site.subnets as s>
      {
        "id": [=s.id],
        "subnet": "[=s.cidr?json_string]",
        "next-server": "[=(s.nextServer!site.serverAddress)?json_string]",
<#if s.rangeStart??>
        "pools": [ { "pool": "[=s.rangeStart?json_string] - [=s.rangeEnd?json_string]" } ],
</#if>
        "option-data": [
<#assign options = []>
<#if s.router??><#assign options = options + ['{ "name": "routers", "data": "' + s.router?json_string + '" }']></#if>
<#if s.dns?has_content><#assign options = options + ['{ "name": "domain-name-servers", "data": "' + s.dns?join(", ")?json_string + '" }']></#if>
<#if s.domain??><#assign options = options + ['{ "name": "domain-name", "data": "' + s.domain?json_string + '" }']></#if>
<#list options as o>
          [=o]<#sep>,</#sep>
</#list>
        ],
        "reservations": [
<#list s.reservations as r>
          { "hw-address": "[=r.mac?json_string]", "ip-address": "[=r.ip?json_string]", "hostname": "[=r.shortName?json_string]" }<#sep>,</#sep>
</#list>
        ]
      }<#sep>,</#sep>
</#list>
    ]
  }
}
