{{ header }}{% if g.access.assign_deployer %}
data "azurerm_client_config" "current" {}
{% endif %}
# Callers authenticate with Entra ID tokens; these roles are what lets them call the accounts.
resource "azurerm_role_assignment" "openai" {
{% if g.access.deployer_listed_as %}# Without the deployer's own assignment when the spec lists it with that role already (local.deployer_listed).
for_each = { for key, r in local.role_assignments : key => r if !(startswith(key, "deployer/") && local.deployer_listed) }
{% else %}for_each = local.role_assignments
{% endif %}
scope = azurerm_cognitive_account.openai[each.value.account].id
role_definition_id = "/subscriptions/${var.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/${each.value.role_definition_id}"
principal_id = each.value.principal_id
principal_type = each.value.principal_type
}
{% if g.identity %}
# The gateway reads its certificate from Key Vault with this identity; the vault must use Azure RBAC.
resource "azurerm_user_assigned_identity" "gateway" {
name = {{ g.identity.name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
tags = local.tags
}

data "azurerm_key_vault" "certificate" {
name = {{ g.identity.key_vault_name | hcl }}
resource_group_name = {% if g.identity.key_vault_resource_group %}{{ g.identity.key_vault_resource_group | hcl }}{% else %}var.key_vault_resource_group_name{% endif %}
}

resource "azurerm_role_assignment" "gateway_key_vault" {
scope = data.azurerm_key_vault.certificate.id
role_definition_id = "/subscriptions/${var.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{{ g.identity.role_definition_id }}"
principal_id = azurerm_user_assigned_identity.gateway.principal_id
principal_type = "ServicePrincipal"
}
{% endif %}
