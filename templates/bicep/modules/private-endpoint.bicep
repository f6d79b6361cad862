{{ header }}// The private endpoint of one account in the gateway's network, registered in the private DNS zone.

@description('Region of the endpoint (the network\'s).')
param location string

@description('Tags of every resource.')
param tags object

@description('Name of the private endpoint.')
param name string

@description('Name of the private link service connection.')
param connectionName string

@description('Name of the endpoint\'s network interface.')
param nicName string

@description('Name of the Azure OpenAI account.')
param accountName string

@description('Resource group of the account.')
param accountResourceGroup string

@description('ID of the private-endpoint subnet.')
param subnetId string

@description('IDs of the private DNS zones the endpoint registers in (openai.azure.com, cognitiveservices.azure.com, services.ai.azure.com).')
param privateDnsZoneIds array

resource account 'Microsoft.CognitiveServices/accounts@{{ api.cognitive_services }}' existing = {
  name: accountName
  scope: resourceGroup(accountResourceGroup)
}

resource endpoint 'Microsoft.Network/privateEndpoints@{{ api.network }}' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    customNetworkInterfaceName: nicName
    privateLinkServiceConnections: [
      {
        name: connectionName
        properties: {
          privateLinkServiceId: account.id
          groupIds: ['account']
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@{{ api.network }}' = {
  parent: endpoint
  name: 'openai'
  properties: {
    privateDnsZoneConfigs: [for (zoneId, i) in privateDnsZoneIds: {
      name: 'zone-${i}'
      properties: {
        privateDnsZoneId: zoneId
      }
    }]
  }
}
