/** Inventory builders for the migration rules' tests: one Region, an instance, a launch template. */
import type { InstanceSnapshot, Inventory, LaunchTemplateSnapshot, RegionInventory } from "../../src/domain/migration/inventory.ts";

export function region(fields: Partial<RegionInventory> = {}): RegionInventory {
  return { region: "us-east-1", accountDefaults: {}, images: [], launchTemplates: [], instances: [], errors: [], ...fields };
}

export function inventory(...regions: RegionInventory[]): Inventory {
  return { generatedAt: "2026-11-29T12:00:00.000Z", regions };
}

export function anInstance(id: string, fields: Partial<InstanceSnapshot> = {}, options: Partial<InstanceSnapshot["metadataOptions"]> = {}): InstanceSnapshot {
  return {
    instanceId: id,
    state: "running",
    imageId: "ami-1",
    tags: [],
    metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1, httpEndpoint: "enabled", instanceMetadataTags: "disabled", ...options },
    ...fields,
  };
}

export function aTemplate(id: string, versionOptions: LaunchTemplateSnapshot["versions"][number]["metadataOptions"], imageId = "ami-1"): LaunchTemplateSnapshot {
  return { templateId: id, templateName: id, defaultVersion: 1, latestVersion: 1, tags: [], versions: [{ versionNumber: 1, isDefault: true, isLatest: true, imageId, metadataOptions: versionOptions }] };
}
