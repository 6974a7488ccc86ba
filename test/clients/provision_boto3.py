#!/usr/bin/env python3
"""A provisioning run written with boto3 the way infrastructure tools converge (issue 12).

Usage (pyenv python3, which has boto3):
  python3 test/clients/provision_boto3.py API_URL RUN_ID

Against the emulator's EC2 API (loopback only): find the instance by filters (tag Name,
subnet-id, state); if none, RunInstances with a ClientToken derived from RUN_ID into a
subnet found with DescribeSubnets, retrying once with the same token as a tool does after
a timeout; confirm with DescribeInstanceStatus; then require IMDSv2 with
ModifyInstanceMetadataOptions and read it back with GetLaunchTemplateData.

Prints one JSON object, exit 0 (2 = bad command line, 3 = boto3 missing):
  {"created": bool, "instance_id", "retry_same_id": bool|null, "subnet_id", "vpc_id",
   "status": {"state", "instance", "system"}, "http_tokens", "error": null|{...}}
The caller runs it twice and checks that the second run finds the first run's instance.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep test/clients free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402

NAME = "imds-lab-provisioning"
IMAGE = "ami-0abcdef1234567890"
ZONE = "us-east-1b"


def main():
    if len(sys.argv) != 3:
        H.usage_error("usage: provision_boto3.py API_URL RUN_ID")
    url, run_id = sys.argv[1], sys.argv[2]
    H.require_loopback_base(url)
    H.scrub_proxy_env()
    boto3 = H.import_or_exit("boto3", "pip install boto3 for this python3")
    import botocore.httpsession

    orig_send = botocore.httpsession.URLLib3Session.send

    def guarded_send(self, request):
        H.check_url(request.url)
        return orig_send(self, request)

    botocore.httpsession.URLLib3Session.send = guarded_send

    ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1")
    subnet = ec2.describe_subnets(Filters=[{"Name": "availability-zone", "Values": [ZONE]},
                                           {"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    wanted = [{"Name": "tag:Name", "Values": [NAME]}, {"Name": "subnet-id", "Values": [subnet["SubnetId"]]},
              {"Name": "instance-state-name", "Values": ["pending", "running"]}]
    found = [i for r in ec2.describe_instances(Filters=wanted)["Reservations"] for i in r["Instances"]]
    created = not found
    retry_same_id = None
    if created:
        request = dict(ImageId=IMAGE, MinCount=1, MaxCount=1, SubnetId=subnet["SubnetId"], ClientToken="provision-" + run_id,
                       TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": NAME}]}])
        first = ec2.run_instances(**request)["Instances"][0]
        retry = ec2.run_instances(**request)["Instances"][0]
        retry_same_id = retry["InstanceId"] == first["InstanceId"]
        instance_id = first["InstanceId"]
    else:
        instance_id = found[0]["InstanceId"]
    ec2.get_waiter("instance_status_ok").wait(InstanceIds=[instance_id], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    status = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"][0]
    ec2.modify_instance_metadata_options(InstanceId=instance_id, HttpTokens="required")
    data = ec2.get_launch_template_data(InstanceId=instance_id)["LaunchTemplateData"]
    described = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    H.emit({
        "created": created, "instance_id": instance_id, "retry_same_id": retry_same_id,
        "subnet_id": described["SubnetId"], "expected_subnet_id": subnet["SubnetId"], "vpc_id": described["VpcId"],
        "zone": described["Placement"]["AvailabilityZone"],
        "status": {"state": status["InstanceState"]["Name"], "instance": status["InstanceStatus"]["Status"],
                   "system": status["SystemStatus"]["Status"]},
        "http_tokens": data["MetadataOptions"]["HttpTokens"], "error": None,
    })


if __name__ == "__main__":
    H.run_guarded(main)
