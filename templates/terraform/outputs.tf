{{ header }}
output "gateway_url" {
description = "Base URL clients call: <url>/openai/deployments/<deployment>/..."
value = {% if g.gateway.https_url %}{{ g.gateway.https_url | hcl }}{% else %}"http://${azurerm_public_ip.gateway.fqdn}"{% endif %}
}

output "gateway_public_ip" {
description = "Public IP address of the Application Gateway."
value = azurerm_public_ip.gateway.ip_address
}

output "gateway_name" {
description = "Name of the Application Gateway."
value = azurerm_application_gateway.gateway.name
}

output "gateway_resource_group" {
description = "Resource group of the gateway, its network and DNS."
value = azurerm_resource_group.gateway.name
}

output "openai_resource_group" {
description = "Resource group of the Azure OpenAI accounts."
value = azurerm_resource_group.openai.name
}

output "account_endpoints" {
description = "Endpoint of each Azure OpenAI account, by region."
value = { for region, account in azurerm_cognitive_account.openai : region => account.endpoint }
}

output "deployments" {
description = "Deployment names served in each region."
value = { for region in keys(local.accounts) : region => sort([for key, d in local.deployments : d.name if d.account == region]) }
}

output "account_names_text" {
description = "Account names, one per line (read by the helper scripts)."
value = join("\n", [for account in azurerm_cognitive_account.openai : account.name])
}
{% if g.dns %}
output "dns_name_servers" {
description = "Name servers of the DNS zone: delegate the zone to them at your registrar."
value = {% if g.dns.create_zone %}azurerm_dns_zone.gateway.name_servers{% else %}data.azurerm_dns_zone.gateway.name_servers{% endif %}
}
{% endif %}
