{% import "terraform/macros.tera" as m %}{{ header }}
# The expanded spec as data: every resource below iterates over these maps, keyed by region and
# "<region>/<deployment>", so adding a region or a model adds keys without renaming existing ones.
locals {
name = {{ g.meta.name | hcl }}
location = {{ g.meta.location | hcl }}

{% if g.meta.tags %}tags = {
{% for t in g.meta.tags %}{{ t.name | hcl }} = {{ t.value | hcl }}
{% endfor %}}{% else %}tags = {}{% endif %}

accounts = {
{% for a in g.accounts %}{{ a.key | hcl }} = {
name = {{ a.name | hcl }}
location = {{ a.location | hcl }}
}
{% endfor %}}

deployments = {
{% for d in g.deployments %}{{ d.key | hcl }} = {
account = {{ d.account | hcl }}
name = {{ d.name | hcl }}
model = {{ d.model | hcl }}
version = {{ d.version | hcl }}
sku = {{ d.sku | hcl }}
capacity = {{ d.capacity }}
version_upgrade_option = {{ d.version_upgrade_option | hcl }}
azure_manages_version = {{ d.azure_manages_version }}
rai_policy_name = {% if d.rai_policy_name %}{{ d.rai_policy_name | hcl }}{% else %}null{% endif %}
}
{% endfor %}}

# One backend pool per deployment, holding exactly the accounts that serve it.
backend_pools = {
{% for p in g.gateway.pools %}{{ p.deployment | hcl }} = {
name = {{ p.name | hcl }}
accounts = [{% for r in p.regions %}{{ r | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{% endfor %}}

# Paths that name no deployment (/openai/v1/..., /openai/files, ...) go to accounts that serve
# {% if g.gateway.default_pool.lacking %}{{ g.gateway.default_pool.deployments | join(sep=", ") | comment }} (not {{ g.gateway.default_pool.lacking | join(sep=", ") | comment }}){% else %}every deployment{% endif %}.
default_backend_pool = {
name = {{ g.gateway.default_pool.name | hcl }}
accounts = [{% for r in g.gateway.default_pool.regions %}{{ r | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
backend_settings = {{ g.gateway.default_pool.backend_settings | hcl }}
}

# One backend setting per distinct request timeout and cookie affinity.
backend_settings = {
{% for b in g.gateway.backend_settings %}{{ b.name | hcl }} = {
request_timeout = {{ b.request_timeout }}
cookie_affinity = {{ b.cookie_affinity }}
affinity_cookie_name = {% if b.cookie_affinity %}{{ b.affinity_cookie_name | hcl }}{% else %}null{% endif %}
}
{% endfor %}}

# The URL path map's rules in evaluation order (the gateway takes the first match): each deployment's
# stateful v1 paths (cookie affinity) before its classic and v1 routes. The rewrite sets strip /d/<name>.
path_rules = [
{% for r in g.gateway.path_rules %}{
name = {{ r.name | hcl }}
paths = [{% for path in r.paths %}{{ path | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
backend_pool = {{ r.pool | hcl }}
backend_settings = {{ r.backend_settings | hcl }}
rewrite_rule_set = {{ r.rewrite_rule_set | hcl }}
},
{% endfor %}]

{% if g.role_assignments %}role_assignments = {
{% for r in g.role_assignments %}{{ r.key | hcl }} = {
account = {{ r.account | hcl }}
{% if r.deployer %}# The identity running Terraform, so the smoke test and the README examples work right away.
principal_id = data.azurerm_client_config.current.object_id
principal_type = null
{% else %}principal_id = {{ r.principal_id | hcl }}
principal_type = {{ r.principal_type | hcl }}
{% endif %}role_definition_id = {{ r.role_definition_id | hcl }}
}
{% endfor %}}{% else %}role_assignments = {}{% endif %}
{% if g.access.deployer_listed_as %}
# The spec gives these principals the OpenAI User role itself. When the identity running Terraform is one of
# them, its own assignment would be a second one of the same role at the same scope, which Azure refuses
# (RoleAssignmentExists), so it is left out. Terraform knows the caller's object ID when it plans.
deployer_listed = contains([{% for p in g.access.deployer_listed_as %}{{ p | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}], lower(data.azurerm_client_config.current.object_id))
{% endif %}
{{ m::nsg_rules(local_name="nsg_rules", rules=g.network.nsg_rules) }}

{% if g.network.endpoints_nsg %}
{{ m::nsg_rules(local_name="endpoints_nsg_rules", rules=g.network.endpoints_nsg.rules) }}
{% endif %}
# Globally unique names get a random suffix kept in state (random_string.suffix), so this text stays stable.
gateway_dns_label = {{ g.public_ip.domain_label_prefix | hcl }}
{% if g.private_link %}
# Every private DNS zone of the accounts' `account` sub-resource, with its link to the gateway's network.
private_dns_zones = {
{% for z in g.private_link.dns_zones %}{{ z | hcl }} = {{ g.private_link.vnet_link_name | hcl }}
{% endfor %}}

private_endpoints = {
{% for e in g.private_link.endpoints %}{{ e.account | hcl }} = {
name = {{ e.name | hcl }}
connection_name = {{ e.connection_name | hcl }}
nic_name = {{ e.nic_name | hcl }}
}
{% endfor %}}
{% endif %}
# Public addresses allowed straight to the accounts besides the gateway (operators).
allowed_ips = [{% for ip in g.access.allowed_ips %}{{ ip | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
