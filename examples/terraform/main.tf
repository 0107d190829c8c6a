# A web server and its firewall. Two mistakes are left in on purpose; see ../README.md.

resource "aws_security_group" "web" {
  name        = "web-${var.environment}"
  description = "Web server: HTTPS from anywhere, SSH for administrators"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "All outbound traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = var.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [aws_security_group.web.id]
  monitoring             = var.detailed_monitoring

  root_block_device {
    volume_size = 20
    encrypted   = true
  }

  tags = {
    Name = "web-${var.environment}"
  }
}
