{% import "terraform/macros.tera" as m %}{{ header }}
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
kind = {{ g.access.account_kind | hcl }}
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

# What Azure changes by itself stays as Azure left it: {% if g.access.azure_may_upgrade_kind %}Microsoft upgrades eligible OpenAI accounts to
# Microsoft Foundry (kind AIServices), which azurerm would roll back in place, and {% endif %}project management
# (Foundry projects), whose removal on an AIServices account would replace the account.
lifecycle {
ignore_changes = [{% for a in account_ignore_changes %}{{ a }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
}

# azurerm locks the parent account while it writes a deployment, so deployments of one account are
# created one at a time (Azure rejects parallel writes with "Another operation is being performed").
#
# Azure upgrades the model version of these deployments by itself (version_upgrade_option other than
# NoAutoUpgrade): Terraform sets the spec's version when it creates them and leaves it to Azure afterwards,
# so an apply never pushes back a version Azure replaced (a downgrade, or an error once it is retired).
resource "azurerm_cognitive_deployment" "openai" {
for_each = { for key, d in local.deployments : key => d if d.azure_manages_version }
{{ m::deployment_body(g=g) }}
lifecycle {
ignore_changes = [model[0].version]
}
}

# Deployments pinned to the spec's version (version_upgrade: never).
resource "azurerm_cognitive_deployment" "pinned" {
for_each = { for key, d in local.deployments : key => d if !d.azure_manages_version }
{{ m::deployment_body(g=g) }}
}

# Changing a deployment's version_upgrade moves it between the two resources above without recreating it.
{% for d in g.deployments %}
moved {
from = azurerm_cognitive_deployment.{% if d.azure_manages_version %}pinned{% else %}openai{% endif %}[{{ d.key | hcl }}]
to = azurerm_cognitive_deployment.{% if d.azure_manages_version %}openai{% else %}pinned{% endif %}[{{ d.key | hcl }}]
}
{% endfor %}