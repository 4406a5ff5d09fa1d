/**
 * The products a target can be: one line each. A product missing here is not offered by "Add a target" nor by
 * `entra-sync targets add`.
 */
import type { TargetProduct } from '../../../shared/targets';
import { crowdDriver } from './crowd/crowd-driver';
import { bitbucketDriver } from './bitbucket/bitbucket-driver';
import { confluenceDriver } from './confluence/confluence-driver';
import { jiraDriver } from './jira/jira-driver';
import type { ProductDriver } from './product-driver';
import { scimDriver } from './scim/scim-driver';

export const productDrivers: Partial<Record<TargetProduct, ProductDriver>> = {
  jira: jiraDriver,
  crowd: crowdDriver,
  bitbucket: bitbucketDriver,
  scim: scimDriver,
  confluence: confluenceDriver,
  // drivers: one line per product, e.g. `confluence: confluenceDriver,`
};

/** The driver of a product; undefined when this build does not have it. */
export function driverOf(product: TargetProduct): ProductDriver | undefined {
  return productDrivers[product];
}

/** The products this build can add, in the order of `targetProducts`. */
export function availableProducts(): TargetProduct[] {
  return (Object.keys(productDrivers) as TargetProduct[]).filter((p) => productDrivers[p] !== undefined);
}
