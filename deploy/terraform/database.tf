# OCI Database with PostgreSQL on its own subnet; the password stays in the Vault.
resource "oci_psql_db_system" "provena" {
  compartment_id              = var.compartment_ocid
  display_name                = "provena"
  db_version                  = "15"
  shape                       = "PostgreSQL.VM.Standard.E5.Flex"
  instance_count              = 2
  instance_ocpu_count         = 2
  instance_memory_size_in_gbs = 32

  network_details {
    subnet_id = oci_core_subnet.provena["database"].id
  }

  storage_details {
    is_regionally_durable = true
    system_type           = "OCI_OPTIMIZED_STORAGE"
  }

  credentials {
    username = "provena"
    password_details {
      password_type  = "VAULT_SECRET"
      secret_id      = var.database_admin_password_secret_ocid
      secret_version = "1"
    }
  }

  management_policy {
    backup_policy {
      kind           = "DAILY"
      retention_days = 30
      backup_start   = "02:00"
    }
  }
}
