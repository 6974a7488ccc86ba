/**
 * An estate to migrate, built through the real @aws-sdk/client-ec2 against an emulator: two
 * Regions, AMIs, a launch template whose $Latest differs from $Default, running and stopped
 * instances, one container host. Used by the toolkit's unit tests and the migration e2e tests.
 */
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";

export const TEST_CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** For CLI subprocesses: fixed keys, and never the real IMDS for credentials. */
export const TEST_CREDENTIALS_ENV = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_REGION: "us-east-1",
};

export interface MigrationEstate {
  /** us-east-1: the application host, launched from `appImage`; IMDSv1 allowed. */
  readonly appInstance: string;
  /** us-east-1: a stopped instance that allows IMDSv1. */
  readonly stoppedInstance: string;
  /** eu-west-1: launched from the template, tagged as an EKS node, hop limit 1. */
  readonly nodeInstance: string;
  readonly appImage: string;
  readonly nodeImage: string;
  readonly templateId: string;
}

export function clientFor(endpoint: string, region: string): EC2Client {
  return new EC2Client({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

/** `suffix` keeps names unique when one emulator holds several estates (AMI and template names are). */
export async function buildMigrationEstate(endpoint: string, suffix = ""): Promise<MigrationEstate> {
  const east = clientFor(endpoint, "us-east-1");
  const west = clientFor(endpoint, "eu-west-1");
  try {
    const image = { Architecture: "x86_64" as const, RootDeviceName: "/dev/xvda" };
    const appImage = (await east.send(new RegisterImageCommand({ Name: `app-server-2024${suffix}`, ...image }))).ImageId!;
    const nodeImage = (await west.send(new RegisterImageCommand({ Name: `amazon-eks-node-1.30-v20240101${suffix}`, ...image }))).ImageId!;
    const run = async (client: EC2Client, input: Omit<RunInstancesCommandInput, "MinCount" | "MaxCount">) =>
      (await client.send(new RunInstancesCommand({ ...input, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const appInstance = await run(east, { ImageId: appImage, IamInstanceProfile: { Name: "app-role" }, MetadataOptions: { HttpTokens: "optional" } });
    const stoppedInstance = await run(east, { ImageId: appImage });
    await east.send(new StopInstancesCommand({ InstanceIds: [stoppedInstance] }));
    const template = await west.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: `eks-nodes${suffix}`,
        LaunchTemplateData: { ImageId: nodeImage, InstanceType: "m5.large", MetadataOptions: { HttpPutResponseHopLimit: 1, InstanceMetadataTags: "enabled" } },
      }),
    );
    const templateId = template.LaunchTemplate!.LaunchTemplateId!;
    // $Latest differs from $Default: a newer instance type nobody made the default yet.
    await west.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: templateId, SourceVersion: "1", LaunchTemplateData: { InstanceType: "m6i.large" } }));
    const nodeInstance = await run(west, {
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Default" },
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "eks:cluster-name", Value: "prod" }] }],
    });
    return { appInstance, stoppedInstance, nodeInstance, appImage, nodeImage, templateId };
  } finally {
    east.destroy();
    west.destroy();
  }
}
