{{ header }}// One Azure OpenAI account with its model deployments and role assignments; main.bicep instantiates it once
// per region.

@description('Name of the account.')
param name string

@description('Region of the account.')
param location string

@description('Tags of every resource.')
param tags object

@description('Custom subdomain: required for Entra ID tokens and network rules, and globally unique.')
param customSubDomainName string

@description('Public addresses allowed through the network ACL (the gateway\'s first); all others are denied.')
param allowedIps array

// Plain `array` parameters: checkov's Bicep parser (pycep 0.5) cannot read typed arrays, and it should see
// these resources. The shapes are those of `accounts[].deployments` and `accounts[].roleAssignments` in
// main.bicep.
@description('Model deployments of the account, created one at a time: key (`<region>/<deployment>`), name, model, version (null: Azure\'s default, then the versions Azure upgrades it to), sku, capacity (thousands of tokens per minute), versionUpgradeOption, raiPolicyName (null for the service default).')
param deployments array

@description('Role assignments on the account: key (`<principal>/<role>/<region>`), principalId, principalType (null for the deploying identity, whose kind is known only at deploy time), roleDefinitionId (GUID).')
param roleAssignments array
{% if g.diagnostics %}
@description('Log Analytics workspace receiving the account\'s logs and metrics.')
param workspaceId string
{% endif %}
resource account 'Microsoft.CognitiveServices/accounts@{{ api.cognitive_services }}' = {
  name: name
  location: location
  tags: tags
  kind: {{ g.access.account_kind | bicep }}
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    customSubDomainName: customSubDomainName
    // Project-wide decisions of the spec, written out so that policy scanners see them: callers use Entra ID
    // tokens (no API keys), the account calls nothing on its own, and
    // {% if g.access.public_network_access %}its public endpoint admits only the addresses of the network ACL.{% else %}it is reachable only through its private endpoint.{% endif %}
    disableLocalAuth: {{ not g.access.local_auth }}
    restrictOutboundNetworkAccess: {{ g.access.restrict_outbound }}
    publicNetworkAccess: {% if g.access.public_network_access %}'Enabled'{% else %}'Disabled'{% endif %}
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      ipRules: [for ip in allowedIps: {
        value: ip
      }]
    }
  }
}

// Azure rejects parallel writes to the deployments of one account ("Another operation is being performed
// on the parent resource"), so they are created one at a time.
@batchSize(1)
resource modelDeployments 'Microsoft.CognitiveServices/accounts/deployments@{{ api.cognitive_services }}' = [for deployment in deployments: {
  parent: account
  name: deployment.name
  sku: {
    name: deployment.sku
    capacity: deployment.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: deployment.model
      version: deployment.version
    }
    versionUpgradeOption: deployment.versionUpgradeOption
    raiPolicyName: deployment.raiPolicyName
  }
}]

// Callers authenticate with Entra ID tokens; these roles are what lets them call the account. The name is
// derived from scope, principal and role, so redeploying finds the same assignment.
resource accountRoleAssignments 'Microsoft.Authorization/roleAssignments@{{ api.role_assignments }}' = [for assignment in roleAssignments: {
  name: guid(account.id, assignment.principalId, assignment.roleDefinitionId)
  scope: account
  properties: {
    principalId: assignment.principalId
    principalType: assignment.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
  }
}]
{% if g.diagnostics %}
resource diagnostics 'Microsoft.Insights/diagnosticSettings@{{ api.diagnostic_settings }}' = {
  name: {{ g.diagnostics.account_setting_name | bicep }}
  scope: account
  properties: {
    workspaceId: workspaceId
    logs: [{% for c in g.diagnostics.account_log_categories %}
      {
        category: {{ c | bicep }}
        enabled: true
      }{% endfor %}
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}
{% endif %}
@description('Resource ID of the account.')
output id string = account.id

@description('Name of the account.')
output name string = account.name

@description('Endpoint of the account.')
output endpoint string = account.properties.endpoint
