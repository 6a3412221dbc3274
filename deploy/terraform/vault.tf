# One Vault: the key that seals people's Fabric keys (envelope encryption, AES-256), the key
# of the buckets, and the secrets the cluster reads through External Secrets.
resource "oci_kms_vault" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
  vault_type     = "DEFAULT"
}

resource "oci_kms_key" "wallet" {
  compartment_id      = var.compartment_ocid
  display_name        = "provena-wallet"
  management_endpoint = oci_kms_vault.provena.management_endpoint
  protection_mode     = "HSM"
  key_shape {
    algorithm = "AES"
    length    = 32
  }
}

resource "oci_kms_key" "storage" {
  compartment_id      = var.compartment_ocid
  display_name        = "provena-storage"
  management_endpoint = oci_kms_vault.provena.management_endpoint
  protection_mode     = "HSM"
  key_shape {
    algorithm = "AES"
    length    = 32
  }
}
