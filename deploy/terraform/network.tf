# One VCN: the load balancer's public subnet, private subnets for the OKE workers, the
# database and the Fabric peers; OCI services through a service gateway, the internet out
# through NAT only.
resource "oci_core_vcn" "provena" {
  compartment_id = var.compartment_ocid
  cidr_blocks    = [var.vcn_cidr]
  display_name   = "provena"
  dns_label      = "provena"
}

data "oci_core_services" "all" {
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_internet_gateway" "provena" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-internet"
}

resource "oci_core_nat_gateway" "provena" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-nat"
}

resource "oci_core_service_gateway" "provena" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-services"
  services {
    service_id = data.oci_core_services.all.services[0].id
  }
}

resource "oci_core_route_table" "public" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-public"
  route_rules {
    destination       = "0.0.0.0/0"
    network_entity_id = oci_core_internet_gateway.provena.id
  }
}

resource "oci_core_route_table" "private" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-private"
  route_rules {
    destination       = "0.0.0.0/0"
    network_entity_id = oci_core_nat_gateway.provena.id
  }
  route_rules {
    destination       = data.oci_core_services.all.services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.provena.id
  }
}

locals {
  subnets = {
    lb       = { cidr = cidrsubnet(var.vcn_cidr, 8, 2), public = true }
    workers  = { cidr = cidrsubnet(var.vcn_cidr, 8, 10), public = false }
    database = { cidr = cidrsubnet(var.vcn_cidr, 8, 20), public = false }
    peers    = { cidr = cidrsubnet(var.vcn_cidr, 8, 30), public = false }
  }
}

resource "oci_core_subnet" "provena" {
  for_each                   = local.subnets
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.provena.id
  cidr_block                 = each.value.cidr
  display_name               = "provena-${each.key}"
  dns_label                  = each.key
  prohibit_public_ip_on_vnic = !each.value.public
  route_table_id             = each.value.public ? oci_core_route_table.public.id : oci_core_route_table.private.id
  security_list_ids          = [oci_core_security_list.provena[each.key].id]
}

# Stateful rules per subnet; the pods' finer paths are the cluster's NetworkPolicies.
resource "oci_core_security_list" "provena" {
  for_each       = local.subnets
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.provena.id
  display_name   = "provena-${each.key}"

  egress_security_rules {
    destination = var.vcn_cidr
    protocol    = "6"
  }
  egress_security_rules {
    destination      = data.oci_core_services.all.services[0].cidr_block
    destination_type = "SERVICE_CIDR_BLOCK"
    protocol         = "6"
  }

  dynamic "ingress_security_rules" {
    for_each = each.key == "lb" ? [443] : []
    content {
      source   = "0.0.0.0/0"
      protocol = "6"
      tcp_options {
        min = ingress_security_rules.value
        max = ingress_security_rules.value
      }
    }
  }
  dynamic "ingress_security_rules" {
    for_each = each.key == "lb" ? [] : [1]
    content {
      source   = var.vcn_cidr
      protocol = "6"
    }
  }
}
