# The public entry: API Gateway on the load balancer's subnet, in front of the API's load
# balancer, with a request limit per client.
resource "oci_apigateway_gateway" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
  endpoint_type  = "PUBLIC"
  subnet_id      = oci_core_subnet.provena["lb"].id
}

resource "oci_apigateway_deployment" "provena" {
  compartment_id = var.compartment_ocid
  gateway_id     = oci_apigateway_gateway.provena.id
  display_name   = "provena"
  path_prefix    = "/"

  specification {
    request_policies {
      rate_limiting {
        rate_in_requests_per_second = 100
        rate_key                    = "CLIENT_IP"
      }
    }
    logging_policies {
      access_log {
        is_enabled = true
      }
      execution_log {
        is_enabled = true
        log_level  = "WARN"
      }
    }
    routes {
      path    = "/{path*}"
      methods = ["ANY"]
      backend {
        type = "HTTP_BACKEND"
        url  = "${var.api_backend_url}/$${request.path[path]}"
      }
    }
  }
}
