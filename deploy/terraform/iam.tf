# Least privilege: every statement is scoped to this compartment and, where the verb allows,
# to one bucket, key, vault, topic or the Functions application.
locals {
  # The pods' service account under OKE workload identity (deploy/k8s: namespace and name).
  workload = join(", ", [
    "request.principal.type = 'workload'",
    "request.principal.namespace = 'provena'",
    "request.principal.service_account = 'provena'",
    "request.principal.cluster_id = '${oci_containerengine_cluster.provena.id}'",
  ])
  compartment = "compartment id ${var.compartment_ocid}"
}

resource "oci_identity_dynamic_group" "functions" {
  compartment_id = var.tenancy_ocid
  name           = "provena-functions"
  description    = "Provena's OCI Functions"
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.compartment.id = '${var.compartment_ocid}'}"
}

resource "oci_identity_policy" "workloads" {
  compartment_id = var.compartment_ocid
  name           = "provena-workloads"
  description    = "What the API and listener pods may do, as their service account"
  statements = [
    "Allow any-user to manage objects in ${local.compartment} where all {${local.workload}, target.bucket.name = '${oci_objectstorage_bucket.documents.name}'}",
    "Allow any-user to use keys in ${local.compartment} where all {${local.workload}, target.key.id = '${oci_kms_key.provena["wallet"].id}'}",
    "Allow any-user to read secret-bundles in ${local.compartment} where all {${local.workload}, target.vault.id = '${oci_kms_vault.provena.id}'}",
  ]
}

resource "oci_identity_policy" "functions" {
  compartment_id = var.compartment_ocid
  name           = "provena-functions"
  description    = "What Provena's Functions may do"
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to manage objects in ${local.compartment} where target.bucket.name = '${oci_objectstorage_bucket.inbox.name}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to manage objects in ${local.compartment} where target.bucket.name = '${oci_objectstorage_bucket.documents.name}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use ons-topics in ${local.compartment} where target.topic.id = '${var.alarm_topic_ocid}'",
  ]
}

resource "oci_identity_policy" "services" {
  compartment_id = var.compartment_ocid
  name           = "provena-services"
  description    = "What OCI services do on Provena's behalf"
  statements = [
    "Allow service objectstorage-${var.region} to use keys in ${local.compartment} where target.key.id = '${oci_kms_key.provena["storage"].id}'",
    "Allow service cloudEvents to use functions-family in ${local.compartment} where target.application.id = '${oci_functions_application.provena.id}'",
  ]
}
