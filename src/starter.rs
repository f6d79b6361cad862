//! The commented starter spec written by `aoaigen init`, and the JSON Schema file written beside it so
//! that the spec's `yaml-language-server` modeline resolves (editors resolve a relative `$schema` path
//! against the spec's own directory). Tests render the starter so it always validates.

/// File name of the schema `init` writes next to the spec; the starter's modeline points at it.
pub const SCHEMA_FILE: &str = "aoaigen.schema.json";

/// The starter spec, its comments naming `spec_name` (the file as `init --out` was given it).
pub fn starter_spec(spec_name: &str) -> String {
    // The name lands in a YAML comment: no control character may end that comment early.
    let name: String = spec_name
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    STARTER_SPEC
        .replace("@SCHEMA@", SCHEMA_FILE)
        .replace("@SPEC@", &name)
}

const STARTER_SPEC: &str = r#"# yaml-language-server: $schema=./@SCHEMA@
# aoaigen spec: Azure OpenAI accounts in several regions behind one Application Gateway (WAF_v2).
# Validate: aoaigen validate --spec @SPEC@     Render: aoaigen render --spec @SPEC@ --target bicep
# Editors with the YAML language server (e.g. VS Code's YAML extension) complete and check this file with
# the schema beside it; `aoaigen schema > @SCHEMA@` refreshes it after an upgrade of aoaigen.
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
