# Documents: versioned, private, and undeletable for the retention period once certified.
# The inbox: where partners drop files; an Object Storage event starts the import Function,
# and what is left behind expires.
resource "oci_objectstorage_bucket" "documents" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.tenancy.namespace
  name                  = "provena-documents"
  access_type           = "NoPublicAccess"
  versioning            = "Enabled"
  object_events_enabled = true # an audit trail of every change, in OCI Events
  kms_key_id            = oci_kms_key.provena["storage"].id

  retention_rules {
    display_name = "certified documents are kept"
    duration {
      time_amount = var.document_retention_days
      time_unit   = "DAYS"
    }
  }
}

resource "oci_objectstorage_bucket" "inbox" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.tenancy.namespace
  name                  = "provena-inbox"
  access_type           = "NoPublicAccess"
  versioning            = "Enabled"
  object_events_enabled = true
  kms_key_id            = oci_kms_key.provena["storage"].id
}

data "oci_objectstorage_namespace" "tenancy" {
  compartment_id = var.tenancy_ocid
}

resource "oci_objectstorage_object_lifecycle_policy" "inbox" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.inbox.name

  rules {
    name        = "expire-what-was-not-imported"
    action      = "DELETE"
    is_enabled  = true
    time_amount = var.inbox_expiry_days
    time_unit   = "DAYS"
  }
}

resource "oci_objectstorage_object_lifecycle_policy" "documents" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.documents.name

  rules {
    name        = "old-versions-to-archive"
    action      = "ARCHIVE"
    is_enabled  = true
    target      = "previous-object-versions"
    time_amount = 90
    time_unit   = "DAYS"
  }
}
