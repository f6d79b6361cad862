{{ header }}// Lets the gateway's identity read secrets of the existing Key Vault that holds its certificate; deployed in
// the vault's resource group. The vault must use Azure RBAC authorization.

@description('Name of the existing Key Vault.')
param keyVaultName string

@description('Principal ID of the gateway\'s identity.')
param principalId string

@description('GUID of the role definition to assign ("Key Vault Secrets User").')
param roleDefinitionId string

resource vault 'Microsoft.KeyVault/vaults@{{ api.key_vault }}' existing = {
  name: keyVaultName
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@{{ api.role_assignments }}' = {
  name: guid(vault.id, principalId, roleDefinitionId)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
