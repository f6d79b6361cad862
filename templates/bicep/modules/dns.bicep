{{ header }}{% set d = g.dns %}// The gateway's host name: an A record {% if d.create_zone %}in a zone created here{% else %}in the existing zone (deployed in that zone's resource group){% endif %}, aliased to the
// gateway's public IP so it follows the address.

@description('Name of the DNS zone.')
param zoneName string

@description('Name of the record, relative to the zone (`@` for the apex).')
param recordName string

@description('Time to live of the record, in seconds.')
param ttl int

@description('ID of the gateway\'s public IP.')
param publicIpId string
{% if d.create_zone %}
@description('Tags of every resource.')
param tags object

resource zone 'Microsoft.Network/dnsZones@{{ api.dns }}' = {
  name: zoneName
  location: 'global'
  tags: tags
  properties: {
    zoneType: 'Public'
  }
}
{% else %}
resource zone 'Microsoft.Network/dnsZones@{{ api.dns }}' existing = {
  name: zoneName
}
{% endif %}
resource record 'Microsoft.Network/dnsZones/A@{{ api.dns }}' = {
  parent: zone
  name: recordName
  properties: {
    TTL: ttl
    targetResource: {
      id: publicIpId
    }
  }
}

@description('Name servers of the zone.')
output nameServers array = zone.properties.nameServers
