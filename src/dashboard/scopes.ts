import type { Application } from "../app/application.ts";
import type { AccountScope } from "../domain/scope.ts";

/**
 * Every account and Region the emulator knows something about (instances, defaults, templates,
 * registered images), the serve default first, then in account and Region order.
 */
export function listScopes(app: Application, defaultScope: AccountScope): AccountScope[] {
  const keys = new Set<string>();
  const add = (accountId: string, region: string) => keys.add(`${accountId}/${region}`);
  for (const doc of app.instances.all()) add(doc.record.accountId, doc.record.region);
  for (const scope of app.defaults.scopes()) add(scope.accountId, scope.region);
  for (const template of app.templates.all()) add(template.accountId, template.region);
  for (const image of app.catalogue.registered()) add(image.ownerId, image.region);
  const defaultKey = `${defaultScope.accountId}/${defaultScope.region}`;
  keys.delete(defaultKey);
  const others = [...keys].sort().map((key) => {
    const [accountId, region] = key.split("/") as [string, string];
    return { accountId, region };
  });
  return [defaultScope, ...others];
}
