{{ header }}
resource "random_string" "suffix" {
length = {{ g.meta.suffix_length }}
lower = true
upper = false
numeric = true
special = false
}

resource "azurerm_cognitive_account" "openai" {
for_each = local.accounts

name = each.value.name
location = each.value.location
resource_group_name = azurerm_resource_group.openai.name
kind = "OpenAI"
sku_name = "S0"
# Required for Entra ID tokens and network rules, and globally unique.
custom_subdomain_name = "${each.value.name}-${random_string.suffix.result}"
local_auth_enabled = {{ g.access.local_auth }}
public_network_access_enabled = {{ g.access.public_network_access }}
# Data-loss prevention: the accounts make no outbound calls of their own.
outbound_network_access_restricted = {{ g.access.restrict_outbound }}
tags = local.tags

identity {
type = "SystemAssigned"
}

network_acls {
default_action = "Deny"
bypass = "None"
{% if g.access.public_network_access %}ip_rules = concat([azurerm_public_ip.gateway.ip_address], local.allowed_ips)
{% endif %}}

timeouts {
create = {{ g.access.timeouts.create | hcl }}
update = {{ g.access.timeouts.update | hcl }}
delete = {{ g.access.timeouts.delete | hcl }}
}
}

# azurerm locks the parent account while it writes a deployment, so deployments of one account are
# created one at a time (Azure rejects parallel writes with "Another operation is being performed").
resource "azurerm_cognitive_deployment" "openai" {
for_each = local.deployments

name = each.value.name
cognitive_account_id = azurerm_cognitive_account.openai[each.value.account].id
version_upgrade_option = each.value.version_upgrade_option
rai_policy_name = each.value.rai_policy_name

model {
format = "OpenAI"
name = each.value.model
version = each.value.version
}

sku {
name = each.value.sku
capacity = each.value.capacity
}

timeouts {
create = {{ g.access.timeouts.create | hcl }}
update = {{ g.access.timeouts.update | hcl }}
delete = {{ g.access.timeouts.delete | hcl }}
}
}
