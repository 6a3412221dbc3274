output "cluster_id" {
  description = "The OKE cluster (kubectl: oci ce cluster create-kubeconfig --cluster-id ...)"
  value       = oci_containerengine_cluster.provena.id
}

output "subnets" {
  description = "Each subnet's CIDR, for the OKE overlay's network policies"
  value       = { for name, subnet in oci_core_subnet.provena : name => subnet.cidr_block }
}

output "documents_bucket" {
  description = "PROVENA_OCI_BUCKET"
  value       = oci_objectstorage_bucket.documents.name
}

output "object_storage_namespace" {
  description = "PROVENA_OCI_NAMESPACE"
  value       = data.oci_objectstorage_namespace.tenancy.namespace
}

output "wallet_key_id" {
  description = "PROVENA_OCI_VAULT_KEY_ID"
  value       = oci_kms_key.provena["wallet"].id
}

output "vault_crypto_endpoint" {
  description = "PROVENA_OCI_VAULT_CRYPTO_ENDPOINT"
  value       = oci_kms_vault.provena.crypto_endpoint
}

output "vault_id" {
  description = "The SecretStore's vault (deploy/k8s/overlays/oke/secretstore.yaml)"
  value       = oci_kms_vault.provena.id
}

output "database_endpoint" {
  description = "PostgreSQL's private address, for PROVENA_DATABASE_URL"
  value       = oci_psql_db_system.provena.network_details[0].primary_db_endpoint_private_ip
}

output "devops_build_pipeline_id" {
  description = "The DevOps build pipeline (oci devops build-run create --build-pipeline-id ...)"
  value       = oci_devops_build_pipeline.provena.id
}

output "devops_deploy_pipeline_id" {
  description = "The DevOps deploy pipeline that rolls the OKE manifest out"
  value       = oci_devops_deploy_pipeline.provena.id
}

output "ocir_images" {
  description = "Where the DevOps build delivers the images (REGISTRY/NAMESPACE/provena)"
  value       = local.ocir
}
