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
rai_policy_name = {% if d.rai_policy_name %}{{ d.rai_policy_name | hcl }}{% else %}null{% endif %}
}
{% endfor %}}

# One backend pool and one path rule per deployment, holding exactly the accounts that serve it.
backend_pools = {
{% for p in g.gateway.pools %}{{ p.deployment | hcl }} = {
name = {{ p.name | hcl }}
path_rule = {{ p.path_rule_name | hcl }}
paths = [{{ p.path | hcl }}]
accounts = [{% for r in p.regions %}{{ r | hcl }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{% endfor %}}

# Paths that name no deployment (/openai/v1/..., assistants, files) go to the spec's first deployment.
default_backend_pool = {{ g.gateway.default_pool | hcl }}

{% if g.role_assignments %}role_assignments = {
{% for r in g.role_assignments %}{{ r.key | hcl }} = {
account = {{ r.account | hcl }}
principal_id = {{ r.principal_id | hcl }}
principal_type = {{ r.principal_type | hcl }}
role_definition_id = {{ r.role_definition_id | hcl }}
}
{% endfor %}}{% else %}role_assignments = {}{% endif %}

{{ m::nsg_rules(local_name="nsg_rules", rules=g.network.nsg_rules) }}

{% if g.network.endpoints_nsg %}
{{ m::nsg_rules(local_name="endpoints_nsg_rules", rules=g.network.endpoints_nsg.rules) }}
{% endif %}
# Globally unique names get a random suffix kept in state (random_string.suffix), so this text stays stable.
gateway_dns_label = {{ g.public_ip.domain_label_prefix | hcl }}
{% if g.private_link %}
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
