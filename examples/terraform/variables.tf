variable "region" {
  type        = string
  description = "AWS region the web servers run in."
  default     = "eu-west-1"
}

variable "environment" {
  type        = string
  description = "Name of the environment, used in resource names."

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The environment must be \"staging\" or \"production\"."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC the web servers are placed in."
}

variable "subnet_id" {
  type        = string
  description = "Subnet the web server is placed in."
}

variable "ami_id" {
  type        = string
  description = "Machine image of the web server."
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the web server."
  default     = "t3.small"
}
