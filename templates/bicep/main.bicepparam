{{ header }}using 'main.bicep'

param location = {{ g.meta.location | bicep }}
{% if inputs.certificate %}
// Never written to a file: read from the environment of `az deployment sub create` (see README.md).
param certificatePfxBase64 = readEnvironmentVariable('AOAIGEN_CERTIFICATE_PFX_BASE64')
param certificatePassword = readEnvironmentVariable('AOAIGEN_CERTIFICATE_PASSWORD')
{% endif %}{% if inputs.key_vault_resource_group %}
// The resource group of the Key Vault {{ g.identity.key_vault_name | comment }}, read from the environment: this file is
// regenerated, and an edit here would stop the next render (or `--check`). Setting
// `key_vault_resource_group` in the spec writes it into the template instead.
param keyVaultResourceGroup = readEnvironmentVariable('AOAIGEN_KEY_VAULT_RESOURCE_GROUP')
{% endif %}
{% if g.access.assign_deployer %}
// The identity that deploys gets the OpenAI User role; scripts/deploy.sh sets this from `az`.
param deployerObjectId = readEnvironmentVariable('AOAIGEN_DEPLOYER_OBJECT_ID')
{% endif %}