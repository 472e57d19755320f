/**
 * Product catalogues. Product names are distinct across the two companies, so a person's held and ended
 * products in persons.csv can be traced back to the company that sold them.
 */
import { WeightedTable, type Rng } from './random';

/** Northwind Telecom: broadband, mobile, TV and landline; a household holds one to three. */
export const TELCO_PRODUCTS: readonly string[] = [
  'Fiber 1G', 'Fiber 500', 'Fiber 300', 'DSL 100', 'Mobile Unlimited', 'Mobile 10GB', 'Mobile Family Plan',
  'TV Basic', 'TV Plus', 'Home Phone',
];
const TELCO_TABLE = new WeightedTable<string>(TELCO_PRODUCTS, [10, 14, 8, 6, 18, 10, 6, 8, 5, 5]);

/** Skyline Satellite TV: exactly one base package plus optional add-on packs. */
export const SATELLITE_BASE: readonly string[] = ['Basic HD', 'Premier HD', 'Ultimate 4K'];
export const SATELLITE_ADDONS: readonly string[] = [
  'Sports Pack', 'Movie Pack', 'Kids Pack', 'Latino Pack', 'DVR Plus', 'International Pack',
];
const BASE_TABLE = new WeightedTable<string>(SATELLITE_BASE, [45, 40, 15]);

function inCatalogueOrder(chosen: Set<string>, catalogue: readonly string[]): string[] {
  return catalogue.filter((product) => chosen.has(product));
}

export function telcoProducts(rng: Rng): string[] {
  const chosen = new Set<string>([TELCO_TABLE.pick(rng)]);
  if (rng.chance(0.45)) chosen.add(TELCO_TABLE.pick(rng));
  if (rng.chance(0.2)) chosen.add(TELCO_TABLE.pick(rng));
  return inCatalogueOrder(chosen, TELCO_PRODUCTS);
}

export function satellitePlans(rng: Rng): string[] {
  const base = BASE_TABLE.pick(rng);
  const chosen = new Set<string>();
  if (rng.chance(0.5)) chosen.add(rng.pick(SATELLITE_ADDONS));
  if (rng.chance(0.2)) chosen.add(rng.pick(SATELLITE_ADDONS));
  return [base, ...inCatalogueOrder(chosen, SATELLITE_ADDONS)];
}
