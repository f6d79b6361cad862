{{ header }}
variable "subscription_id" {
description = "ID of the Azure subscription to deploy into (azurerm 4.x requires it)."
type = string

validation {
condition = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.subscription_id))
error_message = "The subscription_id must be a subscription GUID."
}
}
{% if g.gateway.certificate and g.gateway.certificate.pfx_path %}
variable "certificate_password" {
description = "Password of the gateway's PFX certificate."
type = string
sensitive = true
}
{% endif %}
{% if g.identity and not g.identity.key_vault_resource_group %}
variable "key_vault_resource_group_name" {
description = "Resource group of the Key Vault {{ g.identity.key_vault_name | comment }} that holds the gateway certificate."
type = string
}
{% endif %}
