variable "name" {
  description = "OpenSearch domain name, e.g. pathways-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "name must be 3-28 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "engine_version" {
  description = "OpenSearch engine version (local development uses 2.19)."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = can(regex("^OpenSearch_[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like OpenSearch_2.19."
  }
}

variable "instance_type" {
  description = "Data node instance type, e.g. t3.small.search (staging) or r7g.large.search (production)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+\\.[a-z0-9]+\\.search$", var.instance_type))
    error_message = "instance_type must be an OpenSearch instance type such as t3.small.search."
  }
}

variable "instance_count" {
  description = "Data nodes. 2 spreads them over two zones, 3 or a multiple of 3 over three."
  type        = number

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 30 && (var.instance_count <= 2 || var.instance_count % 2 == 0 || var.instance_count % 3 == 0)
    error_message = "instance_count must be 1, 2, or an even number or multiple of 3 up to 30 (nodes spread evenly over zones)."
  }
}

variable "volume_size_gb" {
  description = "EBS (gp3) volume per data node, in GiB."
  type        = number

  validation {
    condition     = var.volume_size_gb >= 10 && var.volume_size_gb <= 3000
    error_message = "volume_size_gb must be between 10 and 3000."
  }
}
variable "vpc_id" {
  description = "VPC the data store lives in (network module output vpc_id)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets, at least two in different availability zones (network module output private_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must list at least two subnet IDs (subnet-...)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect: the EKS nodes' group (network module output node_security_group_id)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0 && alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "allowed_security_group_ids must be a non-empty list of security group IDs (sg-...)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys are at most 128 characters and values at most 256."
  }
}
