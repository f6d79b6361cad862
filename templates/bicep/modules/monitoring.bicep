{{ header }}// The Log Analytics workspace that receives the gateway's and the accounts' logs and metrics.

@description('Region of the workspace.')
param location string

@description('Tags of every resource.')
param tags object

@description('Name of the workspace.')
param workspaceName string

@description('Retention of the logs, in days.')
param retentionDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@{{ api.log_analytics }}' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
  }
}

@description('Resource ID of the workspace.')
output workspaceId string = workspace.id
