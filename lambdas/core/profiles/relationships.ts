import type { CompanyRelationship } from '../model/profile';
import type { ProfileMember } from './members';
import { earlierDay, laterDay, toIsoDay } from './dates';
import { productKey } from './products';
import { recencyComparator, type OriginComparator } from './survivorship';
import { compareText, nonBlank } from './text';

/** Products by comparison key, spelled as in the most recent record that lists them. */
type ProductSpellings = Map<string, string>;

function addProducts(into: ProductSpellings, products: readonly string[]): void {
  for (const product of products) {
    if (!nonBlank(product)) continue;
    const key = productKey(product);
    if (!into.has(key)) into.set(key, product.trim());
  }
}

function sortedSpellings(products: ProductSpellings, exclude: ReadonlySet<string> = new Set()): string[] {
  return [...products.entries()]
    .filter(([key]) => !exclude.has(key))
    .sort(([keyA, spellingA], [keyB, spellingB]) => compareText(keyA, keyB) || compareText(spellingA, spellingB))
    .map(([, spelling]) => spelling);
}

function relationshipStatus(members: readonly ProfileMember[]): CompanyRelationship['status'] {
  const statuses = members.map(({ record }) => record.status).filter((status) => status !== null);
  if (statuses.includes('active')) return 'active';
  return statuses.length > 0 ? 'ended' : 'unknown';
}

interface CompanyProducts {
  held: ProductSpellings;
  ended: ProductSpellings;
}

/**
 * A record without a status counts as holding its products: nothing says they ended, and offering a product the
 * person may already have is the mailing this tool exists to prevent.
 */
function companyProducts(companyMembers: readonly ProfileMember[]): CompanyProducts {
  const held: ProductSpellings = new Map();
  const ended: ProductSpellings = new Map();
  for (const { record } of companyMembers) {
    addProducts(record.status === 'ended' ? ended : held, record.products);
  }
  return { held, ended };
}

/**
 * One relationship per company, sorted by company name. Products are judged per record, never from the company's
 * overall status: an active record elsewhere does not revive the products of an ended one. `productsEnded` lists
 * only products the person holds nowhere now, in any company, so a product ended with B but held with A is
 * "held", never "ended".
 */
export function buildRelationships(
  members: readonly ProfileMember[],
  bySource: OriginComparator,
): CompanyRelationship[] {
  const byRecency = recencyComparator(bySource);
  const byCompany = new Map<string, ProfileMember[]>();
  for (const member of [...members].sort((a, b) => byRecency(a.origin, b.origin))) {
    const group = byCompany.get(member.origin.company) ?? [];
    group.push(member);
    byCompany.set(member.origin.company, group);
  }

  const companies = [...byCompany.keys()].sort(compareText);
  const productsByCompany = new Map(companies.map((company) => [company, companyProducts(byCompany.get(company)!)]));
  const heldAnywhere = new Set(companies.flatMap((company) => [...productsByCompany.get(company)!.held.keys()]));

  return companies.map((company) => {
    const companyMembers = byCompany.get(company)!;
    const products = productsByCompany.get(company)!;
    return {
      company,
      customerSince: companyMembers.reduce<string | null>(
        (earliest, { record }) => earlierDay(earliest, toIsoDay(record.customerSince)),
        null,
      ),
      lastActivity: companyMembers.reduce<string | null>(
        (latest, { record }) => laterDay(latest, toIsoDay(record.lastActivity)),
        null,
      ),
      status: relationshipStatus(companyMembers),
      productsHeld: sortedSpellings(products.held),
      productsEnded: sortedSpellings(products.ended, heldAnywhere),
    };
  });
}
