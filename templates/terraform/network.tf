{% import "terraform/macros.tera" as m %}{{ header }}
resource "azurerm_resource_group" "gateway" {
name = {{ g.resource_groups.gateway | hcl }}
location = local.location
tags = local.tags
}

resource "azurerm_resource_group" "openai" {
name = {{ g.resource_groups.openai | hcl }}
location = local.location
tags = local.tags
}

resource "azurerm_virtual_network" "gateway" {
name = {{ g.network.vnet_name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
address_space = [{{ g.network.address_space | hcl }}]
tags = local.tags
}

resource "azurerm_subnet" "gateway" {
name = {{ g.network.gateway_subnet.name | hcl }}
resource_group_name = azurerm_resource_group.gateway.name
virtual_network_name = azurerm_virtual_network.gateway.name
address_prefixes = [{{ g.network.gateway_subnet.cidr | hcl }}]
}
{% if g.network.endpoints_subnet %}
resource "azurerm_subnet" "endpoints" {
name = {{ g.network.endpoints_subnet.name | hcl }}
resource_group_name = azurerm_resource_group.gateway.name
virtual_network_name = azurerm_virtual_network.gateway.name
address_prefixes = [{{ g.network.endpoints_subnet.cidr | hcl }}]
private_endpoint_network_policies = "Enabled"
}

{{ m::nsg(label="endpoints", nsg_name=g.network.endpoints_nsg.name, rules_local="endpoints_nsg_rules", subnet="endpoints", comment="Only the gateway reaches the private endpoints (private_endpoint_network_policies makes NSGs apply).") }}
{% endif %}
{{ m::nsg(label="gateway", nsg_name=g.network.nsg_name, rules_local="nsg_rules", subnet="gateway", comment="Inbound only: GatewayManager 65200-65535 (required by v2) and the listeners' ports; the rest is denied.") }}
resource "azurerm_public_ip" "gateway" {
name = {{ g.public_ip.name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
allocation_method = "Static"
sku = "Standard"
zones = [{% for z in g.public_ip.zones %}{{ z | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
domain_name_label = "${local.gateway_dns_label}-${random_string.suffix.result}"
tags = local.tags
}
{% if g.private_link %}
# An AIServices (Foundry) account answers at <subdomain>.openai.azure.com, .cognitiveservices.azure.com and
# .services.ai.azure.com, and Microsoft upgrades OpenAI accounts to that kind: every zone, linked to the
# gateway's network.
resource "azurerm_private_dns_zone" "openai" {
for_each = local.private_dns_zones

name = each.key
resource_group_name = azurerm_resource_group.gateway.name
tags = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "openai" {
for_each = local.private_dns_zones

name = each.value
resource_group_name = azurerm_resource_group.gateway.name
private_dns_zone_name = azurerm_private_dns_zone.openai[each.key].name
virtual_network_id = azurerm_virtual_network.gateway.id
registration_enabled = false
tags = local.tags
}

# Projects generated before every zone was created had the openai.azure.com zone alone, unkeyed.
moved {
from = azurerm_private_dns_zone.openai
to = azurerm_private_dns_zone.openai["privatelink.openai.azure.com"]
}

moved {
from = azurerm_private_dns_zone_virtual_network_link.openai
to = azurerm_private_dns_zone_virtual_network_link.openai["privatelink.openai.azure.com"]
}

# The gateway resolves <subdomain>.openai.azure.com through this zone to the private addresses, and keeps
# sending the account's own host name, which is all the account answers to.
resource "azurerm_private_endpoint" "openai" {
for_each = local.private_endpoints

name = each.value.name
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
subnet_id = azurerm_subnet.endpoints.id
custom_network_interface_name = each.value.nic_name
tags = local.tags

private_service_connection {
name = each.value.connection_name
private_connection_resource_id = azurerm_cognitive_account.openai[each.key].id
subresource_names = ["account"]
is_manual_connection = false
}

private_dns_zone_group {
name = "openai"
private_dns_zone_ids = [for zone in keys(local.private_dns_zones) : azurerm_private_dns_zone.openai[zone].id]
}

{% for r in g.private_link.depends_on %}# {{ r.reason | comment }}
{% endfor %}depends_on = [{% for d in depends.private_endpoints %}{{ d }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{% endif %}
