environment = "production"
vpc_id      = "vpc-0a1b2c3d4e5f67890"
subnet_id   = "subnet-0a1b2c3d4e5f67890"
ami_id      = "ami-0123456789abcdef0"
