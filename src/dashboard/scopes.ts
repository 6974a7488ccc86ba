import type { Ec2Services } from "../services/ec2-services.ts";
import type { AccountScope } from "../services/launch-lookups.ts";

/**
 * Every account and Region the emulator knows something about (instances, defaults, templates,
 * registered images), the serve default first, then in account and Region order.
 */
export function listScopes(services: Ec2Services, defaultScope: AccountScope): AccountScope[] {
  const keys = new Set<string>();
  const add = (accountId: string, region: string) => keys.add(`${accountId}/${region}`);
  for (const doc of services.estate.list()) add(doc.record.accountId, doc.record.region);
  for (const scope of services.store.accountDefaultsScopes()) add(scope.accountId, scope.region);
  for (const template of services.store.launchTemplates.list()) add(template.accountId, template.region);
  for (const image of services.store.images.list()) add(image.ownerId, image.region);
  const defaultKey = `${defaultScope.accountId}/${defaultScope.region}`;
  keys.delete(defaultKey);
  const others = [...keys].sort().map((key) => {
    const [accountId, region] = key.split("/") as [string, string];
    return { accountId, region };
  });
  return [defaultScope, ...others];
}
