{{ header }}
terraform {
required_version = ">= 1.9"
required_providers {
azurerm = {
source = "hashicorp/azurerm"
version = "~> 4.79"
}
random = {
source = "hashicorp/random"
version = "~> 3.7"
}
}
}
