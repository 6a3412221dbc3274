# The Functions application and Provena's three functions, all one image (provena-functions,
# deploy/images/functions) told apart by PROVENA_FUNCTION; see docs/oci-functions.md.
#   inbox-import  OCI Events: createobject on the inbox bucket
#   expiry-sweep  Resource Scheduler, daily: a digest to the alarm topic
#   event-relay   Resource Scheduler, every 5 minutes: chosen ledger events to their topic
resource "oci_functions_application" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
  subnet_ids     = [oci_core_subnet.provena["workers"].id]
  shape          = "GENERIC_X86"
  config = {
    PROVENA_PROFILE          = "production"
    PROVENA_OCI_AUTH         = "resource_principal"
    PROVENA_DEV_ISSUER       = "false"
    PROVENA_DEVNET           = "false"
    PROVENA_EVENT_LISTENER   = "false"
    PROVENA_KEY_ENCRYPTION   = "oci_vault"
    PROVENA_OCI_VAULT_KEY_ID = oci_kms_key.provena["wallet"].id
    PROVENA_OCI_NAMESPACE    = data.oci_objectstorage_namespace.tenancy.namespace
    PROVENA_DATA_DIR         = "/tmp/provena"
  }
}

locals {
  functions = {
    inbox-import = {
      memory  = 1024
      timeout = 300
      config = {
        PROVENA_STORAGE_BACKEND         = "oci"
        PROVENA_OCI_BUCKET              = oci_objectstorage_bucket.documents.name
        PROVENA_INBOX_BUCKET            = oci_objectstorage_bucket.inbox.name
        PROVENA_IPFS_BLOCKSTORE         = "object_store"
        PROVENA_STORAGE_MAX_OBJECT_SIZE = "268435456"
      }
    }
    expiry-sweep = {
      memory  = 256
      timeout = 120
      config = {
        PROVENA_ONS_TOPIC_ID       = var.alarm_topic_ocid
        PROVENA_EXPIRY_NOTICE_DAYS = tostring(var.expiry_notice_days)
        PROVENA_EXPIRY_SWEEP_HOURS = "24" # the schedule below runs daily
      }
    }
    event-relay = {
      memory  = 256
      timeout = 120
      config = {
        PROVENA_ONS_TOPIC_ID = oci_ons_notification_topic.ledger_events.id
      }
    }
  }
  # What the Resource Scheduler starts, and when (UNIX cron, UTC).
  schedules = {
    expiry-sweep = "0 6 * * *"
    event-relay  = "*/5 * * * *"
  }
}

resource "oci_functions_function" "provena" {
  for_each           = local.functions
  application_id     = oci_functions_application.provena.id
  display_name       = "provena-${each.key}"
  image              = var.functions_image
  memory_in_mbs      = each.value.memory
  timeout_in_seconds = each.value.timeout
  config = merge(each.value.config, {
    PROVENA_FUNCTION     = each.key
    PROVENA_DATABASE_URL = var.functions_database_url
  })
}

# The topic the event relay posts ledger events to (expiry notices go to the alarm topic).
resource "oci_ons_notification_topic" "ledger_events" {
  compartment_id = var.compartment_ocid
  name           = "provena-ledger-events"
  description    = "Certificate status changes, custody transfers and exceptional checkpoints"
}

# A file written to the inbox bucket starts the inbox import.
resource "oci_events_rule" "inbox" {
  compartment_id = var.compartment_ocid
  display_name   = "provena-inbox-import"
  description    = "Import what partners drop in the inbox bucket"
  is_enabled     = true
  condition = jsonencode({
    eventType = ["com.oraclecloud.objectstorage.createobject"]
    data      = { additionalDetails = { bucketName = [oci_objectstorage_bucket.inbox.name] } }
  })
  actions {
    actions {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.provena["inbox-import"].id
    }
  }
}

# The Resource Scheduler invokes a function with START_RESOURCE; its policy is in iam.tf.
resource "oci_resource_scheduler_schedule" "provena" {
  for_each           = local.schedules
  compartment_id     = var.compartment_ocid
  display_name       = "provena-${each.key}"
  description        = "Invoke provena-${each.key}"
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = each.value
  resources {
    id = oci_functions_function.provena[each.key].id
  }
}
