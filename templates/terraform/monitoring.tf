{{ header }}
{% set d = g.diagnostics %}{% if d.workspace %}resource "azurerm_log_analytics_workspace" "diagnostics" {
name = {{ d.workspace.name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
sku = "PerGB2018"
retention_in_days = {{ d.workspace.retention_days }}
tags = local.tags
}
{% endif %}
locals {
log_analytics_workspace_id = {% if d.workspace %}azurerm_log_analytics_workspace.diagnostics.id{% else %}{{ d.workspace_id | hcl }}{% endif %}
gateway_log_categories = [{% for c in d.gateway_log_categories %}{{ c | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
account_log_categories = [{% for c in d.account_log_categories %}{{ c | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
}

# Access and firewall logs of the gateway (v2 has no performance log: metrics instead), and its metrics.
resource "azurerm_monitor_diagnostic_setting" "gateway" {
name = {{ d.gateway_setting_name | hcl }}
target_resource_id = azurerm_application_gateway.gateway.id
log_analytics_workspace_id = local.log_analytics_workspace_id

dynamic "enabled_log" {
for_each = toset(local.gateway_log_categories)

content {
category = enabled_log.value
}
}

enabled_metric {
category = "AllMetrics"
}
}

# Audit and request/response logs of every account, and their metrics.
resource "azurerm_monitor_diagnostic_setting" "openai" {
for_each = local.accounts

name = {{ d.account_setting_name | hcl }}
target_resource_id = azurerm_cognitive_account.openai[each.key].id
log_analytics_workspace_id = local.log_analytics_workspace_id

dynamic "enabled_log" {
for_each = toset(local.account_log_categories)

content {
category = enabled_log.value
}
}

enabled_metric {
category = "AllMetrics"
}
}
