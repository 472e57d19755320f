/**
 * Hard non-matches: pairs of different people who share most of what a linker looks at. A merge that joins them
 * mails the wrong person or greets a son by his father's account; each pair is labelled in persons.csv
 * (hard_case + hard_group) so tests can assert the pair stayed apart.
 */
import { addYears } from './dates';
import { givenByName, TWIN_NAME_PAIRS, type GivenName, type Sex } from './names';
import type { HardCaseKind } from './options';
import type { Person, PersonFactory } from './people';
import type { Rng } from './random';
import { COMMON_GIVEN, COMMON_SURNAMES } from './surnames';
import { CITY_TABLE } from './places';

export type GroupKind = 'single' | HardCaseKind;

/** Members of one household share the address (same object: same unit, same ZIP) and usually the landline. */
function shareHousehold(first: Person, second: Person, factory: PersonFactory, rng: Rng, shareHome: number): void {
  second.address = first.address;
  first.previousAddress = null;
  second.previousAddress = null;
  if (rng.chance(shareHome)) {
    const home = first.home ?? factory.phone(first.address.city);
    first.home = home;
    second.home = home;
  } else {
    second.home = null;
  }
}

/** Two people must not be greeted by the same used name merely by chance of nickname draws. */
function distinctNicknames(first: Person, second: Person): void {
  if (second.nickname !== null && second.nickname === first.nickname) second.nickname = null;
}

function twins(factory: PersonFactory, rng: Rng, index: number): [Person, Person] {
  let firstGiven: GivenName;
  let secondGiven: GivenName;
  if (rng.chance(0.3)) {
    const [a, sexA, b, sexB] = rng.pick(TWIN_NAME_PAIRS);
    [firstGiven, secondGiven] = [givenByName(a, sexA), givenByName(b, sexB)];
  } else {
    firstGiven = factory.given(factory.sex());
    do secondGiven = factory.given(rng.chance(0.5) ? firstGiven.sex : factory.sex());
    while (secondGiven.name === firstGiven.name);
  }
  const dob = factory.dob(18, 45);
  const first = factory.person(index, { given: firstGiven, dob });
  const second = factory.person(index + 1, { given: secondGiven, last: first.last, dob });
  shareHousehold(first, second, factory, rng, 0.8);
  distinctNicknames(first, second);
  return [first, second];
}

/** Father and son: same full name and address, 25-30 years apart; the suffix is only sometimes written. */
function juniorSenior(factory: PersonFactory, rng: Rng, index: number): [Person, Person] {
  const given = factory.given('M');
  const sonDob = factory.dob(18, 60);
  const fatherDob = addYears(sonDob, -rng.int(25, 30)) - rng.int(0, 300);
  const father = factory.person(index, { given, dob: fatherDob });
  const son = factory.person(index + 1, { given, last: father.last, dob: sonDob });
  if (rng.chance(0.8)) son.middle = father.middle;
  father.suffix = 'Sr.';
  son.suffix = rng.chance(0.85) ? 'Jr.' : 'II';
  shareHousehold(father, son, factory, rng, 0.7);
  distinctNicknames(father, son);
  return [father, son];
}

/** Same common full name, different birth date and city: the classic "John Smith" false merge. */
function namesakes(factory: PersonFactory, rng: Rng, index: number): [Person, Person] {
  const [name, sex] = rng.pick(COMMON_GIVEN);
  const given = givenByName(name, sex);
  const last = rng.pick(COMMON_SURNAMES);
  const first = factory.person(index, { given, last });
  let city = CITY_TABLE.pick(rng);
  while (city === first.address.city) city = CITY_TABLE.pick(rng);
  let dob = factory.dob();
  while (Math.abs(dob - first.dob) < 366) dob = factory.dob();
  const second = factory.person(index + 1, { given, last, dob, city });
  // Both present the same name: a nickname would make the pair easier than intended.
  first.nickname = null;
  second.nickname = null;
  return [first, second];
}

/** Spouses (or partners) at one address using one mailbox: same surname, different first names and births. */
function sharedEmail(factory: PersonFactory, rng: Rng, index: number): [Person, Person] {
  const firstSex = factory.sex();
  const secondSex: Sex = rng.chance(0.9) ? (firstSex === 'F' ? 'M' : 'F') : firstSex;
  const first = factory.person(index, { sex: firstSex });
  let secondGiven = factory.given(secondSex);
  while (secondGiven.name === first.legalFirst) secondGiven = factory.given(secondSex);
  let dob = first.dob + rng.int(-8 * 365, 8 * 365);
  if (dob === first.dob) dob += 40;
  const second = factory.person(index + 1, { given: secondGiven, last: first.last, dob });
  shareHousehold(first, second, factory, rng, 0.6);
  distinctNicknames(first, second);

  let shared = first.emails[0];
  if (shared === undefined || rng.chance(0.5)) {
    // A household address: "thesmiths@", "smithfamily@", "bobandmary@".
    const surname = first.last.toLowerCase().replace(/[^a-z]/g, '') || 'home';
    const names = `${first.legalFirst}and${second.legalFirst}`.toLowerCase().replace(/[^a-z]/g, '');
    const base = rng.pick([`the${surname}s`, `${surname}family`, `${names}`, `${names}.${surname}`]);
    for (let n = 0; ; n++) {
      const candidate = `${base}${n === 0 ? '' : n}@${rng.pick(['gmail.com', 'yahoo.com', 'comcast.net', 'aol.com'])}`;
      if (factory.claimEmail(candidate)) {
        shared = candidate;
        break;
      }
    }
    first.emails = [shared, ...first.emails.slice(0, 1)];
  }
  second.emails = [shared, ...second.emails.slice(1)];
  return [first, second];
}

/** Builds the persons of one group; hard-case members get their kind and the group id. */
export function buildGroup(kind: GroupKind, factory: PersonFactory, rng: Rng, index: number, groupId: string): Person[] {
  if (kind === 'single') return [factory.person(index)];
  const members =
    kind === 'twin'
      ? twins(factory, rng, index)
      : kind === 'jr-sr'
        ? juniorSenior(factory, rng, index)
        : kind === 'namesake'
          ? namesakes(factory, rng, index)
          : sharedEmail(factory, rng, index);
  for (const member of members) {
    member.hardCase = kind;
    member.hardGroup = groupId;
  }
  return members;
}

export function groupSize(kind: GroupKind): number {
  return kind === 'single' ? 1 : 2;
}
