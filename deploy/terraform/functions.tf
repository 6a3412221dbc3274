# The Functions application Provena's functions run in, on the workers' private subnet.
resource "oci_functions_application" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
  subnet_ids     = [oci_core_subnet.provena["workers"].id]
  shape          = "GENERIC_X86"
  config = {
    PROVENA_PROFILE  = "production"
    PROVENA_OCI_AUTH = "resource_principal"
  }
}
