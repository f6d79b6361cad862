{{ header }}
variable "subscription_id" {
description = "ID of the Azure subscription to deploy into (azurerm 4.x requires it)."
type = string

validation {
condition = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.subscription_id))
error_message = "The subscription_id must be a subscription GUID."
}
}
{% if inputs.certificate %}
# The certificate is an input of this project, supplied when it is deployed (see README.md): nothing here
# points at a file outside the project, so it can be moved or committed as it is.
variable "certificate_pfx_base64" {
description = "The gateway's PFX certificate, base64-encoded on one line (README.md says how to set it)."
type = string
sensitive = true

validation {
condition = can(regex("^[A-Za-z0-9+/]+={0,2}$", var.certificate_pfx_base64))
error_message = "The certificate_pfx_base64 must be the PFX file encoded as base64 on one line."
}
}

variable "certificate_password" {
description = "Password of the gateway's PFX certificate."
type = string
sensitive = true
}
{% endif %}
{% if inputs.key_vault_resource_group %}
variable "key_vault_resource_group_name" {
description = "Resource group of the Key Vault {{ g.identity.key_vault_name | comment }} that holds the gateway certificate."
type = string
}
{% endif %}
