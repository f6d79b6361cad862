{{ header }}// The gateway's user-assigned identity: it reads the certificate from Key Vault.

@description('Name of the identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags of every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@{{ api.identities }}' = {
  name: name
  location: location
  tags: tags
}

@description('Resource ID of the identity.')
output id string = identity.id

@description('Principal (object) ID of the identity.')
output principalId string = identity.properties.principalId
