{{ header }}
{% set gw = g.gateway %}{% if g.waf_policy %}{% set w = g.waf_policy %}resource "azurerm_web_application_firewall_policy" "gateway" {
name = {{ w.name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
tags = local.tags

policy_settings {
enabled = true
mode = {{ w.mode | hcl }}
request_body_check = {{ w.request_body_check }}
request_body_enforcement = {{ w.request_body_enforcement }}
max_request_body_size_in_kb = {{ w.max_request_body_kb }}
request_body_inspect_limit_in_kb = {{ w.request_body_inspect_limit_kb }}
file_upload_limit_in_mb = {{ w.file_upload_limit_mb }}
}

managed_rules {
managed_rule_set {
type = {{ w.rule_set_type | hcl }}
version = {{ w.rule_set_version | hcl }}
}
{% for e in w.exclusions %}
{% if loop.first and w.prompt_fields %}# Prompt text (code, SQL, shell commands) is not an attack on the accounts: the values of the fields that
# carry it skip the managed rules; headers, cookies, the URI, the query string and other fields do not.
{% endif %}exclusion {
match_variable = {{ e.match_variable | hcl }}
selector_match_operator = {{ e.operator | hcl }}
selector = {{ e.selector | hcl }}
}
{% endfor %}}
}
{% endif %}
resource "azurerm_application_gateway" "gateway" {
name = {{ gw.name | hcl }}
location = azurerm_resource_group.gateway.location
resource_group_name = azurerm_resource_group.gateway.name
zones = [{% for z in gw.zones %}{{ z | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
{% if g.waf_policy %}firewall_policy_id = azurerm_web_application_firewall_policy.gateway.id
force_firewall_policy_association = true
{% endif %}http2_enabled = true
tags = local.tags

# Server-sent events (stream: true) must reach clients as they come: response buffering off.
global {
request_buffering_enabled = {{ gw.buffering.request }}
response_buffering_enabled = {{ gw.buffering.response }}
}

sku {
name = {{ gw.sku | hcl }}
tier = {{ gw.sku | hcl }}
{% if gw.capacity %}capacity = {{ gw.capacity }}
{% endif %}}
{% if gw.autoscale %}
autoscale_configuration {
min_capacity = {{ gw.autoscale.min }}
max_capacity = {{ gw.autoscale.max }}
}
{% endif %}{% if g.identity %}
identity {
type = "UserAssigned"
identity_ids = [azurerm_user_assigned_identity.gateway.id]
}
{% endif %}
gateway_ip_configuration {
name = {{ gw.ip_configuration_name | hcl }}
subnet_id = azurerm_subnet.gateway.id
}

frontend_ip_configuration {
name = {{ gw.frontend_ip_name | hcl }}
public_ip_address_id = azurerm_public_ip.gateway.id
}
{% for p in gw.ports %}
frontend_port {
name = {{ p.name | hcl }}
port = {{ p.port }}
}
{% endfor %}
ssl_policy {
policy_type = "Predefined"
policy_name = {{ gw.ssl_policy | hcl }}
}
{% if gw.certificate %}
ssl_certificate {
name = {{ gw.certificate.name | hcl }}
{% if gw.certificate.key_vault_secret_id %}key_vault_secret_id = {{ gw.certificate.key_vault_secret_id | hcl }}
{% else %}data = var.certificate_pfx_base64
password = var.certificate_password
{% endif %}}
{% endif %}{% for l in gw.listeners %}
http_listener {
name = {{ l.name | hcl }}
frontend_ip_configuration_name = {{ gw.frontend_ip_name | hcl }}
frontend_port_name = {{ l.port_name | hcl }}
protocol = {{ l.protocol | hcl }}
{% if l.host_name %}host_name = {{ l.host_name | hcl }}
require_sni = true
{% endif %}{% if l.certificate_name %}ssl_certificate_name = {{ l.certificate_name | hcl }}
{% endif %}}
{% endfor %}
dynamic "backend_address_pool" {
for_each = local.backend_pools

content {
name = backend_address_pool.value.name
fqdns = [for region in backend_address_pool.value.accounts : "${azurerm_cognitive_account.openai[region].custom_subdomain_name}.openai.azure.com"]
}
}

backend_address_pool {
name = local.default_backend_pool.name
fqdns = [for region in local.default_backend_pool.accounts : "${azurerm_cognitive_account.openai[region].custom_subdomain_name}.openai.azure.com"]
}

# The accounts answer only to their own host name; each model waits as long as its family needs.
dynamic "backend_http_settings" {
for_each = local.backend_settings

content {
name = backend_http_settings.key
port = 443
protocol = "Https"
pick_host_name_from_backend_address = true
request_timeout = backend_http_settings.value.request_timeout
cookie_based_affinity = backend_http_settings.value.cookie_affinity ? "Enabled" : "Disabled"
affinity_cookie_name = backend_http_settings.value.affinity_cookie_name
probe_name = {{ gw.probe.name | hcl }}
}
}

probe {
name = {{ gw.probe.name | hcl }}
protocol = {{ gw.probe.protocol | hcl }}
path = {{ gw.probe.path | hcl }}
interval = {{ gw.probe.interval }}
timeout = {{ gw.probe.timeout }}
unhealthy_threshold = {{ gw.probe.unhealthy_threshold }}
pick_host_name_from_backend_http_settings = true

match {
status_code = [{% for c in gw.probe.match_status_codes %}{{ c | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
}
{% for set in gw.rewrite_rule_sets %}
rewrite_rule_set {
name = {{ set.name | hcl }}
{% for rule in set.rules %}
rewrite_rule {
name = {{ rule.name | hcl }}
rule_sequence = {{ rule.sequence }}
{% for c in rule.conditions %}
condition {
variable = {{ c.variable | hcl }}
pattern = {{ c.pattern | hcl }}
ignore_case = {{ c.ignore_case }}
negate = {{ c.negate }}
}
{% endfor %}{% if rule.url_path %}
url {
path = {{ rule.url_path | hcl }}
components = "path_only"
reroute = false
}
{% endif %}{% for h in rule.response_headers %}
response_header_configuration {
header_name = {{ h.name | hcl }}
header_value = {{ h.value | hcl }}
}
{% endfor %}}
{% endfor %}}
{% endfor %}
url_path_map {
name = {{ gw.url_path_map_name | hcl }}
default_backend_address_pool_name = local.default_backend_pool.name
default_backend_http_settings_name = local.default_backend_pool.backend_settings

dynamic "path_rule" {
for_each = local.path_rules

content {
name = path_rule.value.name
paths = path_rule.value.paths
backend_address_pool_name = path_rule.value.backend_pool
backend_http_settings_name = path_rule.value.backend_settings
rewrite_rule_set_name = path_rule.value.rewrite_rule_set
}
}
}
{% if gw.redirect %}
redirect_configuration {
name = {{ gw.redirect.name | hcl }}
redirect_type = "Permanent"
target_listener_name = {{ gw.redirect.target_listener_name | hcl }}
include_path = true
include_query_string = true
}
{% endif %}{% for r in gw.routing_rules %}
request_routing_rule {
name = {{ r.name | hcl }}
priority = {{ r.priority }}
rule_type = {{ r.rule_type | hcl }}
http_listener_name = {{ r.listener_name | hcl }}
{% if r.redirect_name %}redirect_configuration_name = {{ r.redirect_name | hcl }}
{% else %}url_path_map_name = {{ gw.url_path_map_name | hcl }}
{% endif %}}
{% endfor %}
# The first apply creates the gateway last:
{% for r in g.gateway.depends_on %}# - {{ r.reason | comment }}
{% endfor %}depends_on = [{% for d in depends.gateway %}{{ d }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{% if g.dns %}{% set d = g.dns %}{% if d.create_zone %}
resource "azurerm_dns_zone" "gateway" {
name = {{ d.zone_name | hcl }}
resource_group_name = azurerm_resource_group.gateway.name
tags = local.tags
}
{% else %}
data "azurerm_dns_zone" "gateway" {
name = {{ d.zone_name | hcl }}
resource_group_name = {{ d.zone_resource_group | hcl }}
}
{% endif %}
resource "azurerm_dns_a_record" "gateway" {
name = {{ d.record_name | hcl }}
zone_name = {% if d.create_zone %}azurerm_dns_zone.gateway.name{% else %}data.azurerm_dns_zone.gateway.name{% endif %}
resource_group_name = {% if d.create_zone %}azurerm_dns_zone.gateway.resource_group_name{% else %}data.azurerm_dns_zone.gateway.resource_group_name{% endif %}
ttl = {{ d.ttl }}
target_resource_id = azurerm_public_ip.gateway.id
tags = local.tags
}
{% endif %}
