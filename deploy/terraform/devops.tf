# OCI DevOps: a build pipeline (deploy/oci-devops/build_spec.yaml: make test, the images, the
# OKE overlay rendered for them), a Deliver Artifacts stage (the images to OCIR tagged with
# the build run's hash, the manifest to the Artifact Registry), and a deploy pipeline that
# applies the manifest to the cluster as a rolling update, rolled back if it fails.
locals {
  ocir      = "ocir.${var.region}.oci.oraclecloud.com/${data.oci_objectstorage_namespace.tenancy.namespace}/provena"
  images    = toset(["api", "contracts", "functions"])
  buildruns = "$${BUILDRUN_HASH}" # replaced by DevOps with the build run's exported hash
}

resource "oci_artifacts_container_repository" "provena" {
  for_each       = local.images
  compartment_id = var.compartment_ocid
  display_name   = "provena/${each.key}"
  is_public      = false
  is_immutable   = false
}

resource "oci_artifacts_repository" "manifests" {
  compartment_id  = var.compartment_ocid
  display_name    = "provena-manifests"
  repository_type = "GENERIC"
  is_immutable    = true # one version per build run, never overwritten
}

resource "oci_devops_project" "provena" {
  compartment_id = var.compartment_ocid
  name           = "provena"
  description    = "Provena's build and deployment pipelines"
  notification_config {
    topic_id = var.alarm_topic_ocid
  }
}

resource "oci_devops_connection" "github" {
  project_id      = oci_devops_project.provena.id
  connection_type = "GITHUB_ACCESS_TOKEN"
  access_token    = var.github_token_secret_ocid
  display_name    = "github"
}

resource "oci_devops_deploy_artifact" "image" {
  for_each                   = local.images
  project_id                 = oci_devops_project.provena.id
  display_name               = "provena-${each.key}-image"
  deploy_artifact_type       = "DOCKER_IMAGE"
  argument_substitution_mode = "SUBSTITUTE_PLACEHOLDERS"
  deploy_artifact_source {
    deploy_artifact_source_type = "OCIR"
    image_uri                   = "${local.ocir}/${each.key}:${local.buildruns}"
  }
}

resource "oci_devops_deploy_artifact" "manifest" {
  project_id                 = oci_devops_project.provena.id
  display_name               = "provena-oke-manifest"
  deploy_artifact_type       = "KUBERNETES_MANIFEST"
  argument_substitution_mode = "SUBSTITUTE_PLACEHOLDERS"
  deploy_artifact_source {
    deploy_artifact_source_type = "GENERIC_ARTIFACT"
    repository_id               = oci_artifacts_repository.manifests.id
    deploy_artifact_path        = "provena-oke.yaml"
    deploy_artifact_version     = local.buildruns
  }
}

resource "oci_devops_build_pipeline" "provena" {
  project_id   = oci_devops_project.provena.id
  display_name = "provena"
  description  = "make test, the images and the OKE manifest, delivered, then deployed"
  build_pipeline_parameters {
    items {
      name          = "BUILDRUN_HASH"
      default_value = "unset"
      description   = "Set by the build (exportedVariables)"
    }
    items {
      name          = "OCIR_PREFIX"
      default_value = local.ocir
      description   = "Where the images go; the manifest names them there"
    }
    items {
      name          = "DOCKERHUB_USERNAME"
      default_value = var.dockerhub_username
      description   = "The Docker Hub account of the build's base image pulls"
    }
  }
}

resource "oci_devops_build_pipeline_stage" "build" {
  build_pipeline_id                  = oci_devops_build_pipeline.provena.id
  build_pipeline_stage_type          = "BUILD"
  display_name                       = "build"
  build_spec_file                    = "deploy/oci-devops/build_spec.yaml"
  image                              = "OL8_X86_64_STANDARD_10"
  primary_build_source               = "provena"
  stage_execution_timeout_in_seconds = 10800
  build_source_collection {
    items {
      name            = "provena"
      connection_type = "GITHUB"
      connection_id   = oci_devops_connection.github.id
      repository_url  = var.github_repository_url
      branch          = "main"
    }
  }
  build_pipeline_stage_predecessor_collection {
    items {
      id = oci_devops_build_pipeline.provena.id
    }
  }
}

resource "oci_devops_build_pipeline_stage" "deliver" {
  build_pipeline_id         = oci_devops_build_pipeline.provena.id
  build_pipeline_stage_type = "DELIVER_ARTIFACT"
  display_name              = "deliver"
  deliver_artifact_collection {
    items {
      artifact_name = "api_image"
      artifact_id   = oci_devops_deploy_artifact.image["api"].id
    }
    items {
      artifact_name = "contracts_image"
      artifact_id   = oci_devops_deploy_artifact.image["contracts"].id
    }
    items {
      artifact_name = "functions_image"
      artifact_id   = oci_devops_deploy_artifact.image["functions"].id
    }
    items {
      artifact_name = "oke_manifest"
      artifact_id   = oci_devops_deploy_artifact.manifest.id
    }
  }
  build_pipeline_stage_predecessor_collection {
    items {
      id = oci_devops_build_pipeline_stage.build.id
    }
  }
}

resource "oci_devops_build_pipeline_stage" "deploy" {
  build_pipeline_id              = oci_devops_build_pipeline.provena.id
  build_pipeline_stage_type      = "TRIGGER_DEPLOYMENT_PIPELINE"
  display_name                   = "deploy"
  deploy_pipeline_id             = oci_devops_deploy_pipeline.provena.id
  is_pass_all_parameters_enabled = true
  build_pipeline_stage_predecessor_collection {
    items {
      id = oci_devops_build_pipeline_stage.deliver.id
    }
  }
}

resource "oci_devops_trigger" "main" {
  project_id     = oci_devops_project.provena.id
  display_name   = "main"
  trigger_source = "GITHUB"
  actions {
    type              = "TRIGGER_BUILD_PIPELINE"
    build_pipeline_id = oci_devops_build_pipeline.provena.id
    filter {
      trigger_source = "GITHUB"
      events         = ["PUSH"]
      include {
        head_ref = "main"
      }
    }
  }
}

# The cluster's API endpoint is private: DevOps reaches it through a private endpoint in the
# workers' subnet, which the endpoint's security group admits (oke.tf).
resource "oci_devops_deploy_environment" "oke" {
  project_id              = oci_devops_project.provena.id
  display_name            = "provena-oke"
  deploy_environment_type = "OKE_CLUSTER"
  cluster_id              = oci_containerengine_cluster.provena.id
  network_channel {
    network_channel_type = "PRIVATE_ENDPOINT_CHANNEL"
    subnet_id            = oci_core_subnet.provena["workers"].id
    nsg_ids              = [oci_core_network_security_group.cluster_endpoint.id]
  }
}

resource "oci_devops_deploy_pipeline" "provena" {
  project_id   = oci_devops_project.provena.id
  display_name = "provena"
  description  = "The OKE overlay rendered by the build, as a rolling update"
}

resource "oci_devops_deploy_stage" "oke" {
  deploy_pipeline_id                      = oci_devops_deploy_pipeline.provena.id
  deploy_stage_type                       = "OKE_DEPLOYMENT"
  display_name                            = "oke"
  oke_cluster_deploy_environment_id       = oci_devops_deploy_environment.oke.id
  kubernetes_manifest_deploy_artifact_ids = [oci_devops_deploy_artifact.manifest.id]
  namespace                               = "provena"
  # A failed stage (a manifest refused, a rollout not ready) applies the last good manifest.
  rollback_policy {
    policy_type = "AUTOMATED_STAGE_ROLLBACK_POLICY"
  }
  deploy_stage_predecessor_collection {
    items {
      id = oci_devops_deploy_pipeline.provena.id
    }
  }
}
