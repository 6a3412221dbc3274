variable "region" {
  description = "The OCI region, e.g. eu-frankfurt-1"
  type        = string
}

variable "tenancy_ocid" {
  description = "The tenancy's OCID (dynamic groups live in the tenancy)"
  type        = string
}

variable "compartment_ocid" {
  description = "The compartment every Provena resource is made in"
  type        = string
}

variable "vcn_cidr" {
  description = "The VCN's address range; the subnets below are carved from it"
  type        = string
  default     = "10.0.0.0/16"
}

variable "kubernetes_version" {
  description = "The OKE cluster's Kubernetes version, e.g. v1.31.1"
  type        = string
}

variable "node_image_ocid" {
  description = "The OKE node image (Oracle Linux for OKE) of the node pool"
  type        = string
}

variable "node_shape" {
  description = "The worker nodes' shape"
  type        = string
  default     = "VM.Standard.E5.Flex"
}

variable "node_count" {
  description = "Worker nodes in the pool"
  type        = number
  default     = 3
}

variable "database_admin_password_secret_ocid" {
  description = "The Vault secret holding the PostgreSQL administrator's password"
  type        = string
}

variable "document_retention_days" {
  description = "How long a certified document stays undeletable in the documents bucket"
  type        = number
  default     = 3650
}

variable "inbox_expiry_days" {
  description = "Days after which objects left in the inbox bucket are deleted"
  type        = number
  default     = 7
}

variable "alarm_topic_ocid" {
  description = "The Notifications topic that alarms and expiry notices go to"
  type        = string
}

variable "api_backend_url" {
  description = "The API's load balancer as the gateway reaches it, e.g. https://10.0.2.10"
  type        = string
}

variable "github_repository_url" {
  description = "The GitHub repository the DevOps build pipeline builds, e.g. https://github.com/OWNER/provena"
  type        = string
}

variable "github_token_secret_ocid" {
  description = "The Vault secret holding a GitHub access token that reads that repository (the DevOps connection)"
  type        = string
}

variable "dockerhub_username" {
  description = "The Docker Hub account the DevOps build pulls its base images as"
  type        = string
}

variable "dockerhub_token_secret_ocid" {
  description = "The Vault secret holding that account's access token (the build spec's DOCKERHUB_TOKEN)"
  type        = string
}

variable "functions_image" {
  description = "The provena-functions image in OCIR, e.g. fra.ocir.io/NAMESPACE/provena-functions:0.1.0"
  type        = string
}

variable "functions_database_url" {
  description = "PROVENA_DATABASE_URL of the functions (postgresql://user:password@host/provena)"
  type        = string
  sensitive   = true
}

variable "expiry_notice_days" {
  description = "The expiry sweep notices certificates expiring within these days"
  type        = number
  default     = 30
}
