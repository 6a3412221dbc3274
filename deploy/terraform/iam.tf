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
    "Allow dynamic-group ${oci_identity_dynamic_group.functions.name} to use ons-topics in ${local.compartment} where target.topic.id = '${oci_ons_notification_topic.ledger_events.id}'",
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

# Each schedule may invoke its own function, and nothing else.
resource "oci_identity_policy" "schedules" {
  compartment_id = var.compartment_ocid
  name           = "provena-schedules"
  description    = "What the Resource Scheduler's schedules may invoke"
  statements = [
    "Allow any-user to use fn-invocation in ${local.compartment} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.provena["expiry-sweep"].id}', target.function.id = '${oci_functions_function.provena["expiry-sweep"].id}'}",
    "Allow any-user to use fn-invocation in ${local.compartment} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.provena["event-relay"].id}', target.function.id = '${oci_functions_function.provena["event-relay"].id}'}",
  ]
}

# OCI DevOps (devops.tf): its build and deploy pipelines act as these dynamic groups.
resource "oci_identity_dynamic_group" "devops_build" {
  compartment_id = var.tenancy_ocid
  name           = "provena-devops-build"
  description    = "Provena's DevOps build pipeline"
  matching_rule  = "ALL {resource.type = 'devopsbuildpipeline', resource.id = '${oci_devops_build_pipeline.provena.id}'}"
}

resource "oci_identity_dynamic_group" "devops_deploy" {
  compartment_id = var.tenancy_ocid
  name           = "provena-devops-deploy"
  description    = "Provena's DevOps deploy pipeline"
  matching_rule  = "ALL {resource.type = 'devopsdeploypipeline', resource.id = '${oci_devops_deploy_pipeline.provena.id}'}"
}

resource "oci_identity_policy" "devops" {
  compartment_id = var.compartment_ocid
  name           = "provena-devops"
  description    = "What Provena's build and deploy pipelines may do"
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_build.name} to use repos in ${local.compartment} where any {${join(", ", [for r in oci_artifacts_container_repository.provena : "target.repo.name = '${r.display_name}'"])}}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_build.name} to manage generic-artifacts in ${local.compartment} where target.repository.id = '${oci_artifacts_repository.manifests.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_build.name} to read secret-bundles in ${local.compartment} where any {target.secret.id = '${var.github_token_secret_ocid}', target.secret.id = '${var.dockerhub_token_secret_ocid}'}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_build.name} to use devops-family in ${local.compartment} where target.project.id = '${oci_devops_project.provena.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_build.name} to use ons-topics in ${local.compartment} where target.topic.id = '${var.alarm_topic_ocid}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_deploy.name} to read generic-artifacts in ${local.compartment} where target.repository.id = '${oci_artifacts_repository.manifests.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_deploy.name} to use clusters in ${local.compartment} where target.cluster.id = '${oci_containerengine_cluster.provena.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_deploy.name} to use subnets in ${local.compartment} where target.subnet.id = '${oci_core_subnet.provena["workers"].id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops_deploy.name} to use ons-topics in ${local.compartment} where target.topic.id = '${var.alarm_topic_ocid}'",
  ]
}
