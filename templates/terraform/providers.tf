{{ header }}
provider "azurerm" {
subscription_id = var.subscription_id

features {
cognitive_account {
# Purging frees the account name and its quota at once; kept otherwise so a destroy can be undone.
purge_soft_delete_on_destroy = {{ g.access.purge_on_destroy }}
}
}
}
