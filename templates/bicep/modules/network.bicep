{{ header }}// The gateway's network: virtual network and subnets, the subnets' NSGs, the public IP{% if g.private_link %},
// and the private DNS zone the private endpoints register in{% endif %}.

@description('Region of the network resources.')
param location string

@description('Tags of every resource.')
param tags object

@description('Name of the virtual network.')
param vnetName string

@description('Address space of the virtual network (CIDR).')
param addressSpace string

@description('A subnet of the network.')
type subnetType = {
  name: string
  // CIDR inside the address space.
  addressPrefix: string
}

@description('The subnets by role.')
type subnetsType = {
  // Where the gateway lives (Application Gateway needs a subnet of its own).
  gateway: subnetType{% if g.network.endpoints_subnet %}
  // Where the accounts' private endpoints live.
  endpoints: subnetType{% endif %}
}

@description('Subnets by role: `gateway`{% if g.network.endpoints_subnet %} and `endpoints`{% endif %}.')
param subnets subnetsType

@description('Name of the gateway subnet\'s network security group.')
param nsgName string

@description('Inbound rules of the gateway subnet: name, priority, access (`Allow` or `Deny`), protocol, source, ports, description.')
param nsgRules array

{% if g.network.endpoints_nsg %}@description('Name of the private-endpoint subnet\'s network security group.')
param endpointsNsgName string

@description('Inbound rules of the private-endpoint subnet, shaped as `nsgRules`.')
param endpointsNsgRules array

{% endif %}{% if g.private_link %}@description('Private DNS zones of the accounts\' private endpoints, each linked to the network.')
param privateDnsZones array

@description('Name of each zone\'s link to the network.')
param privateDnsZoneLinkName string

{% endif %}@description('Name of the gateway\'s public IP address.')
param publicIpName string

@description('Availability zones of the public IP (as the gateway\'s).')
param zones array

@description('DNS label of the public IP: the gateway answers at <label>.<location>.cloudapp.azure.com.')
param domainNameLabel string

// Inbound rules only: GatewayManager 65200-65535 is required by Application Gateway v2; the listeners' ports
// are open to clients; everything else falls to the NSG's default deny.
resource gatewayNsg 'Microsoft.Network/networkSecurityGroups@{{ api.network }}' = {
  name: nsgName
  location: location
  tags: tags
  properties: {
    securityRules: [for rule in nsgRules: {
      name: rule.name
      properties: {
        description: rule.description
        priority: rule.priority
        direction: 'Inbound'
        access: rule.access
        protocol: rule.protocol
        sourcePortRange: '*'
        destinationPortRange: rule.ports
        sourceAddressPrefix: rule.source
        destinationAddressPrefix: '*'
      }
    }]
  }
}
{% if g.network.endpoints_nsg %}
// Only the gateway reaches the private endpoints (privateEndpointNetworkPolicies makes NSGs apply to them).
resource endpointsNsg 'Microsoft.Network/networkSecurityGroups@{{ api.network }}' = {
  name: endpointsNsgName
  location: location
  tags: tags
  properties: {
    securityRules: [for rule in endpointsNsgRules: {
      name: rule.name
      properties: {
        description: rule.description
        priority: rule.priority
        direction: 'Inbound'
        access: rule.access
        protocol: rule.protocol
        sourcePortRange: '*'
        destinationPortRange: rule.ports
        sourceAddressPrefix: rule.source
        destinationAddressPrefix: '*'
      }
    }]
  }
}

{% endif %}// Subnets are declared inline: as child resources, a redeployment of the network would try to remove them.
resource vnet 'Microsoft.Network/virtualNetworks@{{ api.network }}' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressSpace]
    }
    subnets: [
      {
        name: subnets.gateway.name
        properties: {
          addressPrefix: subnets.gateway.addressPrefix
          networkSecurityGroup: {
            id: gatewayNsg.id
          }
        }
      }{% if g.network.endpoints_subnet %}
      {
        name: subnets.endpoints.name
        properties: {
          addressPrefix: subnets.endpoints.addressPrefix
          privateEndpointNetworkPolicies: 'Enabled'{% if g.network.endpoints_nsg %}
          networkSecurityGroup: {
            id: endpointsNsg.id
          }{% endif %}
        }
      }{% endif %}
    ]
  }
}

resource gatewaySubnet 'Microsoft.Network/virtualNetworks/subnets@{{ api.network }}' existing = {
  parent: vnet
  name: subnets.gateway.name
}
{% if g.network.endpoints_subnet %}
resource endpointsSubnet 'Microsoft.Network/virtualNetworks/subnets@{{ api.network }}' existing = {
  parent: vnet
  name: subnets.endpoints.name
}
{% endif %}
resource publicIp 'Microsoft.Network/publicIPAddresses@{{ api.network }}' = {
  name: publicIpName
  location: location
  tags: tags
  zones: zones
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
    dnsSettings: {
      domainNameLabel: domainNameLabel
    }
  }
}
{% if g.private_link %}
// An AIServices (Foundry) account answers at <subdomain>.openai.azure.com, .cognitiveservices.azure.com and
// .services.ai.azure.com, and Microsoft upgrades OpenAI accounts to that kind: every zone, linked here.
resource privateDnsZone 'Microsoft.Network/privateDnsZones@{{ api.private_dns }}' = [for zone in privateDnsZones: {
  name: zone
  location: 'global'
  tags: tags
}]

resource privateDnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@{{ api.private_dns }}' = [for (zone, i) in privateDnsZones: {
  parent: privateDnsZone[i]
  name: privateDnsZoneLinkName
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]
{% endif %}
@description('ID of the gateway subnet.')
output gatewaySubnetId string = gatewaySubnet.id
{% if g.network.endpoints_subnet %}
@description('ID of the private-endpoint subnet.')
output endpointsSubnetId string = endpointsSubnet.id
{% endif %}
@description('ID of the public IP.')
output publicIpId string = publicIp.id

@description('Address of the public IP.')
output publicIpAddress string = publicIp.properties.ipAddress

@description('DNS name of the public IP.')
output fqdn string = publicIp.properties.dnsSettings.fqdn
{% if g.private_link %}
@description('IDs of the private DNS zones of the accounts, in the order of `privateDnsZones`.')
output privateDnsZoneIds array = [for (zone, i) in privateDnsZones: privateDnsZone[i].id]
{% endif %}
