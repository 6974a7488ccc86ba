/** The instance and tag actions through the real @aws-sdk/client-ec2, over HTTP on 127.0.0.1:0. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeTagsCommand,
  EC2Client,
  EC2ServiceException,
  ModifyInstanceMetadataOptionsCommand,
  paginateDescribeInstances,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { V2_IMAGE, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { startApiServer } from "../../api/api-server.ts";
import { createQueryApi } from "../query-api.ts";

async function withClient(h: Ec2Harness, fn: (client: EC2Client) => Promise<void>): Promise<void> {
  const api = createQueryApi({ services: h.services });
  const { server, url } = await startApiServer({ host: "127.0.0.1", port: 0, ec2: api.route, routes: new Map() });
  const client = new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" }, maxAttempts: 1 });
  try {
    await fn(client);
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test("instance actions: @aws-sdk/client-ec2 launches, pages, modifies, tags, stops and terminates", () =>
  withHarness((h) =>
    withClient(h, async (client) => {
      const run = await client.send(
        new RunInstancesCommand({
          ImageId: V2_IMAGE,
          MinCount: 6,
          MaxCount: 6,
          UserData: Buffer.from("#!/bin/sh\n").toString("base64"),
          MetadataOptions: { InstanceMetadataTags: "enabled" },
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
        }),
      );
      const ids = run.Instances!.map((i) => i.InstanceId!);
      assert.equal(ids.length, 6);
      assert.deepEqual(run.Instances![0]!.State, { Code: 0, Name: "pending" });
      assert.equal(run.Instances![0]!.MetadataOptions?.HttpTokens, "required");
      assert.ok(run.Instances![0]!.LaunchTime instanceof Date);

      const seen: string[] = [];
      for await (const page of paginateDescribeInstances(
        { client, pageSize: 5 },
        { Filters: [{ Name: "tag:Name", Values: ["web"] }] },
      )) {
        seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      }
      assert.deepEqual(seen, ids);

      const modified = await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: ids[0], HttpPutResponseHopLimit: 3 }));
      assert.equal(modified.InstanceMetadataOptions?.HttpPutResponseHopLimit, 3);
      assert.equal(modified.InstanceMetadataOptions?.HttpTokens, "required");

      await client.send(new CreateTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: "env", Value: "prod" }] }));
      const described = await client.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }));
      assert.deepEqual(described.Tags, [{ Key: "env", ResourceId: ids[0], ResourceType: "instance", Value: "prod" }]);
      await client.send(new DeleteTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: "env" }] }));

      const stopped = await client.send(new StopInstancesCommand({ InstanceIds: [ids[1]!] }));
      assert.deepEqual(stopped.StoppingInstances![0]!.CurrentState, { Code: 64, Name: "stopping" });
      const terminated = await client.send(new TerminateInstancesCommand({ InstanceIds: [ids[2]!] }));
      assert.equal(terminated.TerminatingInstances![0]!.CurrentState?.Name, "shutting-down");

      const err = (await client.send(new StopInstancesCommand({ InstanceIds: [ids[2]!] })).catch((e: unknown) => e)) as EC2ServiceException;
      assert.ok(err instanceof EC2ServiceException);
      assert.equal(err.name, "IncorrectInstanceState");
      assert.equal(err.$metadata.httpStatusCode, 400);
    }),
  ));
