/**
 * Is this instance a container host? Bridged containers are one hop further from the IMDS, so
 * with hop limit 1 their token PUT gets no answer (docs/behaviour.md#hop-limit). Nothing in EC2 says "container
 * host"; these hints are what EKS, ECS and Karpenter leave behind, plus what the caller report saw.
 */
import type { InstanceCallerReport } from "./caller-report.ts";
import type { ImageSnapshot, InstanceSnapshot } from "./inventory.ts";

/** Tag keys EKS managed node groups, ECS capacity providers, Karpenter and kOps set on nodes. */
const CONTAINER_TAG_KEYS = [
  "eks:cluster-name",
  "aws:eks:cluster-name",
  "eks:nodegroup-name",
  "AmazonECSManaged",
  "aws:ecs:clusterName",
  "karpenter.sh/nodepool",
  "karpenter.sh/provisioner-name",
  "k8s.io/role/node",
];
const CONTAINER_TAG_PREFIXES = ["kubernetes.io/cluster/", "k8s.io/cluster-autoscaler/"];

/** amazon-eks-node-*, amzn2-ami-ecs-*, bottlerocket-aws-k8s-*, ... */
const CONTAINER_AMI_NAME = /(^|[^a-z])(eks|ecs|bottlerocket|k8s|kubernetes)([^a-z]|$)/i;

export function containerHostHints(
  instance: Pick<InstanceSnapshot, "tags" | "imageId">,
  images: readonly ImageSnapshot[],
  report?: InstanceCallerReport,
): string[] {
  const hints: string[] = [];
  for (const tag of instance.tags) {
    if (CONTAINER_TAG_KEYS.includes(tag.key) || CONTAINER_TAG_PREFIXES.some((p) => tag.key.startsWith(p))) {
      hints.push(`tag ${tag.key}${tag.value === "" ? "" : `=${tag.value}`}`);
    }
  }
  const image = images.find((i) => i.imageId === instance.imageId);
  if (image !== undefined && CONTAINER_AMI_NAME.test(image.name)) hints.push(`AMI name ${image.name}`);
  if (report !== undefined) {
    const containers = new Set(report.hopLimitCallers.map((c) => c.label));
    for (const caller of [...report.v1Callers, ...report.v2Callers]) if (caller.process?.container) containers.add(caller.label);
    if (containers.size > 0) hints.push(`observed: ${[...containers].join("; ")}`);
  }
  return hints;
}
