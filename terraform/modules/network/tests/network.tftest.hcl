# Mocked AWS provider: private subnets stay private, one NAT gateway per zone unless asked.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  mock_data "aws_vpc_endpoint_service" {
    defaults = { service_name = "com.amazonaws.eu-west-1.s3" }
  }
}

variables {
  name     = "pathways-test"
  vpc_cidr = "10.30.0.0/16"
  az_count = 3
}

run "private_subnets_nat_per_zone_nodes_group" {
  command = plan

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_nat_gateway.this) == 3
    error_message = "One private subnet and one NAT gateway per zone."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch != true])
    error_message = "No subnet may hand out public IPs on launch."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch != true])
    error_message = "Private subnets must not hand out public IPs."
  }

  assert {
    condition     = aws_security_group.nodes.name == "pathways-test-nodes"
    error_message = "The nodes' security group must exist for the EKS node groups."
  }
}

run "single_nat_gateway" {
  command = plan

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "single_nat_gateway must create one NAT gateway."
  }
}
