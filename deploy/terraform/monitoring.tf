# Logs: the API pods' JSON lines (one object per line, as OCI Logging parses them) in a
# custom log; alarms on the gateway's server errors, to the Notifications topic.
resource "oci_logging_log_group" "provena" {
  compartment_id = var.compartment_ocid
  display_name   = "provena"
}

resource "oci_logging_log" "api" {
  display_name       = "provena-api"
  log_group_id       = oci_logging_log_group.provena.id
  log_type           = "CUSTOM"
  is_enabled         = true
  retention_duration = 90
}

resource "oci_monitoring_alarm" "gateway_errors" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "provena-gateway-5xx"
  namespace             = "oci_apigateway"
  query                 = "HttpResponses[5m]{httpStatusCode =~ \"5*\", resourceId = \"${oci_apigateway_gateway.provena.id}\"}.sum() > 10"
  severity              = "CRITICAL"
  is_enabled            = true
  destinations          = [var.alarm_topic_ocid]
  pending_duration      = "PT5M"
  body                  = "More than 10 server errors in 5 minutes at Provena's API Gateway"
}
