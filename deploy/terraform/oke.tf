# An enhanced OKE cluster (workload identity needs it) with a private API endpoint and one
# node pool on the workers' subnet.
resource "oci_containerengine_cluster" "provena" {
  #checkov:skip=CKV2_OCI_6:PodSecurityPolicy left Kubernetes in 1.25; the provena namespace enforces Pod Security "restricted" instead
  compartment_id     = var.compartment_ocid
  name               = "provena"
  vcn_id             = oci_core_vcn.provena.id
  kubernetes_version = var.kubernetes_version
  type               = "ENHANCED_CLUSTER"

  endpoint_config {
    subnet_id            = oci_core_subnet.provena["workers"].id
    is_public_ip_enabled = false
    nsg_ids              = [oci_core_network_security_group.cluster_endpoint.id]
  }

  options {
    service_lb_subnet_ids = [oci_core_subnet.provena["lb"].id]
  }
}

data "oci_identity_availability_domains" "all" {
  compartment_id = var.tenancy_ocid
}

resource "oci_containerengine_node_pool" "provena" {
  compartment_id     = var.compartment_ocid
  cluster_id         = oci_containerengine_cluster.provena.id
  name               = "provena"
  kubernetes_version = var.kubernetes_version
  node_shape         = var.node_shape

  node_shape_config {
    ocpus         = 2
    memory_in_gbs = 16
  }

  node_source_details {
    source_type = "IMAGE"
    image_id    = var.node_image_ocid
  }

  node_config_details {
    size = var.node_count
    dynamic "placement_configs" {
      for_each = data.oci_identity_availability_domains.all.availability_domains
      content {
        availability_domain = placement_configs.value.name
        subnet_id           = oci_core_subnet.provena["workers"].id
      }
    }
    is_pv_encryption_in_transit_enabled = true
  }
}

# The Kubernetes API: reachable from inside the VCN only (the workers, a bastion, the pipeline).
resource "oci_core_network_security_group" "cluster_endpoint" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-cluster-endpoint"
}

resource "oci_core_network_security_group_security_rule" "cluster_endpoint" {
  network_security_group_id = oci_core_network_security_group.cluster_endpoint.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source                    = var.vcn_cidr
  source_type               = "CIDR_BLOCK"
  stateless                 = true # its answers go out by the egress rule below
  tcp_options {
    destination_port_range {
      min = 6443
      max = 6443
    }
  }
}

resource "oci_core_network_security_group_security_rule" "cluster_endpoint_answers" {
  #checkov:skip=CKV2_OCI_2:egress from source port 6443 (the API's answers to clients in the VCN); no RDP comes in
  network_security_group_id = oci_core_network_security_group.cluster_endpoint.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination               = var.vcn_cidr
  destination_type          = "CIDR_BLOCK"
  stateless                 = true
  tcp_options {
    source_port_range {
      min = 6443
      max = 6443
    }
  }
}
