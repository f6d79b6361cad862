//! The commented starter spec written by `aoaigen init`; a test renders it so it always validates.

pub const STARTER_SPEC: &str = r#"# yaml-language-server: $schema=https://aoaigen.dev/schema/v1/aoaigen.schema.json
# aoaigen spec: Azure OpenAI accounts in several regions behind one Application Gateway (WAF_v2).
# Validate: aoaigen validate --spec aoaigen.yaml     Render: aoaigen render --spec aoaigen.yaml --target bicep
version: 1
name: my-llm                 # naming root: 2-20 lowercase letters, digits, hyphens
location: swedencentral      # region of the gateway, its network and the resource groups
tags:
  owner: platform-team

models:
  # Each model is one deployment name (URL paths /openai/deployments/<deployment>/... and
  # /d/<deployment>/openai/v1/...), served by every region listed; the gateway load-balances across them.
  # `aoaigen catalog models` lists what exists.
  - model: gpt-5.1
    regions: [swedencentral, francecentral]
    # capacity: 100          # thousands of tokens per minute per region; default: the catalog's quota
    # sku: GlobalStandard    # GlobalStandard (default) | DataZoneStandard | Standard
  - model: text-embedding-3-large
    regions: [swedencentral]

gateway:
  autoscale: { min: 1, max: 2 }
  network: { address_space: 10.40.0.0/16 }   # gateway subnet: the first /24
  frontend:
    https:                   # Entra ID bearer tokens must not cross the network in clear text
      hostname: ai.contoso.com                  # replace: the host name clients call
      certificate:                              # replace: a certificate secret the gateway may read
        key_vault_secret_id: "https://kv-contoso.vault.azure.net/secrets/ai-gw"
        key_vault_resource_group: rg-contoso-security
      redirect_http: true

access:
  network: firewall          # accounts accept traffic only from the gateway's IP
  assign_deployer: true      # whoever deploys may call the gateway right away (OpenAI User role)
  role_assignments: []       # e.g. - { principal_id: <object id>, principal_type: Group, role: openai-user }
"#;
