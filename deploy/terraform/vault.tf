# One Vault: the key that seals people's Fabric keys (envelope encryption, AES-256), the key
# of the buckets, and the secrets the cluster reads through External Secrets.
resource "oci_kms_vault" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
  vault_type     = "DEFAULT"
}

resource "oci_kms_key" "provena" {
  for_each            = toset(["wallet", "storage"])
  compartment_id      = var.compartment_ocid
  display_name        = "provena-${each.key}"
  management_endpoint = oci_kms_vault.provena.management_endpoint
  protection_mode     = "HSM"
  key_shape {
    algorithm = "AES"
    length    = 32
  }
}
