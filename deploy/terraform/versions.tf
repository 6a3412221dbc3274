# Provena's tenancy resources on Oracle Cloud Infrastructure (OCI provider 6.x).
#   terraform init && terraform plan -var-file=provena.tfvars
terraform {
  required_version = ">= 1.5"
  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 6.0"
    }
  }
}

provider "oci" {
  region = var.region
}
