/**
 * Given-name data. Weights are rough US frequencies (per mille, rounded) so common names dominate and namesakes
 * occur naturally, while a long tail of rarer and non-English names keeps the population diverse.
 * Nicknames are the forms people actually go by ("Robert" who signs up as "Bob"); accented spellings are the
 * person's real name, which legacy systems often strip ("José" -> "Jose").
 */
import { WeightedTable } from './random';

export type Sex = 'F' | 'M';

export interface GivenName {
  name: string;
  sex: Sex;
  /** Forms the person may go by instead of the legal name; empty when the name has none in common use. */
  nicknames: readonly string[];
}

/** [name, weight, comma-separated nicknames]. */
type Row = readonly [string, number, string?];

const MALE: readonly Row[] = [
  ['James', 33, 'Jim,Jimmy,Jamie'], ['Robert', 32, 'Bob,Rob,Bobby'], ['John', 32, 'Jack,Johnny'],
  ['Michael', 30, 'Mike'], ['David', 26, 'Dave'], ['William', 25, 'Bill,Will,Billy'],
  ['Richard', 18, 'Rick,Rich,Dick'], ['Joseph', 17, 'Joe,Joey'], ['Thomas', 16, 'Tom,Tommy'],
  ['Christopher', 15, 'Chris'], ['Charles', 15, 'Charlie,Chuck'], ['Daniel', 14, 'Dan,Danny'],
  ['Matthew', 13, 'Matt'], ['Anthony', 12, 'Tony'], ['Mark', 11], ['Donald', 10, 'Don'],
  ['Steven', 10, 'Steve'], ['Andrew', 9, 'Andy,Drew'], ['Paul', 9], ['Joshua', 9, 'Josh'],
  ['Kenneth', 8, 'Ken,Kenny'], ['Kevin', 8], ['Brian', 8], ['George', 7], ['Timothy', 7, 'Tim'],
  ['Ronald', 7, 'Ron'], ['Jason', 7], ['Edward', 7, 'Ed,Eddie,Ted'], ['Jeffrey', 6, 'Jeff'],
  ['Ryan', 6], ['Jacob', 6, 'Jake'], ['Gary', 6], ['Nicholas', 6, 'Nick'], ['Eric', 5],
  ['Jonathan', 5, 'Jon'], ['Stephen', 5, 'Steve'], ['Larry', 5], ['Justin', 5], ['Scott', 5],
  ['Brandon', 5], ['Benjamin', 5, 'Ben'], ['Samuel', 4, 'Sam'], ['Gregory', 4, 'Greg'],
  ['Alexander', 4, 'Alex'], ['Frank', 4], ['Patrick', 4, 'Pat'], ['Raymond', 4, 'Ray'],
  ['Jack', 4], ['Dennis', 4], ['Jerry', 4], ['Tyler', 4], ['Aaron', 4], ['Adam', 3],
  ['Nathan', 3, 'Nate'], ['Henry', 3, 'Hank'], ['Douglas', 3, 'Doug'], ['Zachary', 3, 'Zach'],
  ['Peter', 3, 'Pete'], ['Kyle', 3], ['Walter', 3, 'Walt'], ['Ethan', 3], ['Jeremy', 3],
  ['Harold', 3, 'Hal'], ['Keith', 3], ['Christian', 3], ['Roger', 3], ['Noah', 3], ['Gerald', 3, 'Jerry'],
  ['Carl', 3], ['Terry', 3], ['Sean', 3], ['Austin', 2], ['Arthur', 2, 'Art'], ['Lawrence', 2, 'Larry'],
  ['Jesse', 2], ['Dylan', 2], ['Bryan', 2], ['Joe', 2], ['Jordan', 2], ['Billy', 2], ['Bruce', 2],
  ['Albert', 2, 'Al'], ['Willie', 2], ['Gabriel', 2, 'Gabe'], ['Logan', 2], ['Alan', 2], ['Juan', 3],
  ['Wayne', 2], ['Roy', 2], ['Ralph', 2], ['Randy', 2], ['Eugene', 2, 'Gene'], ['Vincent', 2, 'Vince'],
  ['Russell', 2, 'Russ'], ['Elijah', 2, 'Eli'], ['Louis', 2, 'Lou'], ['Philip', 2, 'Phil'],
  ['Bobby', 1], ['Johnny', 1], ['Frederick', 1, 'Fred'], ['Theodore', 1, 'Ted,Teddy'],
  ['Leonard', 1, 'Len,Lenny'], ['Bernard', 1, 'Bernie'], ['Mason', 1], ['Liam', 1], ['Owen', 1],
  ['Luis', 3], ['Carlos', 3], ['Miguel', 2], ['Jorge', 2], ['Pedro', 1], ['Diego', 1], ['Mateo', 1],
  ['Santiago', 1], ['José', 4, 'Pepe'], ['Jesús', 1, 'Chuy'], ['Raúl', 1], ['Héctor', 1], ['Ramón', 1],
  ['Joaquín', 1], ['Andrés', 1], ['André', 1], ['François', 0.5], ['Jérôme', 0.5], ['Noël', 0.5],
  ['Björn', 0.3], ['Søren', 0.3], ['Wei', 0.8], ['Hiroshi', 0.4], ['Kenji', 0.3], ['Rahul', 0.6],
  ['Arjun', 0.5], ['Mohammed', 0.8, 'Mo'], ['Ahmed', 0.5], ['Omar', 0.6], ['Yusuf', 0.3],
  ['Kwame', 0.3], ['Chinedu', 0.2], ['Dmitri', 0.3, 'Dima'], ['Sergei', 0.3], ['Giovanni', 0.3, 'Gio'],
  ['Giuseppe', 0.2, 'Joe'], ['Pierre', 0.3], ['Lars', 0.2], ['Sven', 0.2], ['Thanh', 0.3], ['Minh', 0.3],
  ['Tenzin', 0.1], ['Oluwaseun', 0.1, 'Seun'], ['Ezekiel', 0.2, 'Zeke'], ['Cornelius', 0.2, 'Neil'],
  ['Thaddeus', 0.1, 'Tad'], ['Alistair', 0.1], ['Ignatius', 0.1, 'Iggy'],
];

const FEMALE: readonly Row[] = [
  ['Mary', 26, 'Molly'], ['Patricia', 16, 'Pat,Patty,Trish'], ['Jennifer', 15, 'Jen,Jenny'],
  ['Linda', 14], ['Elizabeth', 14, 'Liz,Beth,Betty,Lizzie'], ['Barbara', 12, 'Barb'],
  ['Susan', 11, 'Sue,Susie'], ['Jessica', 11, 'Jess'], ['Sarah', 10], ['Karen', 10], ['Lisa', 9],
  ['Nancy', 9], ['Margaret', 9, 'Peggy,Maggie,Meg'], ['Betty', 8], ['Sandra', 8, 'Sandy'], ['Ashley', 8],
  ['Kimberly', 7, 'Kim'], ['Emily', 7, 'Em'], ['Donna', 7], ['Michelle', 7, 'Shelly'], ['Carol', 6],
  ['Amanda', 6, 'Mandy'], ['Dorothy', 6, 'Dot,Dottie'], ['Melissa', 6, 'Missy,Mel'],
  ['Deborah', 6, 'Debbie,Deb'], ['Stephanie', 6, 'Steph'], ['Rebecca', 5, 'Becky,Becca'], ['Sharon', 5],
  ['Laura', 5], ['Cynthia', 5, 'Cindy'], ['Kathleen', 5, 'Kathy'], ['Amy', 5], ['Angela', 5, 'Angie'],
  ['Shirley', 4], ['Anna', 4], ['Brenda', 4], ['Pamela', 4, 'Pam'], ['Emma', 4], ['Nicole', 4, 'Nikki'],
  ['Helen', 4], ['Samantha', 4, 'Sam'], ['Katherine', 4, 'Kate,Katie,Kathy'], ['Christine', 4, 'Chris,Tina'],
  ['Debra', 3, 'Debbie'], ['Rachel', 3], ['Carolyn', 3], ['Janet', 3], ['Catherine', 3, 'Cathy,Kate'],
  ['Maria', 4], ['Heather', 3], ['Diane', 3], ['Ruth', 3], ['Julie', 3], ['Olivia', 3, 'Liv'],
  ['Joyce', 3], ['Virginia', 3, 'Ginny'], ['Victoria', 3, 'Vicky,Tori'], ['Kelly', 3], ['Lauren', 3],
  ['Christina', 3, 'Tina'], ['Joan', 3], ['Evelyn', 2, 'Evie'], ['Judith', 2, 'Judy'], ['Megan', 2],
  ['Andrea', 2], ['Cheryl', 2], ['Hannah', 2], ['Jacqueline', 2, 'Jackie'], ['Martha', 2, 'Marty'],
  ['Gloria', 2], ['Teresa', 2, 'Terri'], ['Ann', 2], ['Sara', 2], ['Madison', 2], ['Frances', 2, 'Fran'],
  ['Kathryn', 2, 'Kate'], ['Janice', 2], ['Jean', 2], ['Abigail', 2, 'Abby'], ['Alice', 2], ['Judy', 2],
  ['Sophia', 2, 'Sophie'], ['Grace', 2], ['Denise', 2], ['Amber', 2], ['Doris', 2], ['Marilyn', 2],
  ['Danielle', 2, 'Dani'], ['Beverly', 2, 'Bev'], ['Isabella', 2, 'Bella,Izzy'], ['Theresa', 2, 'Tess,Terry'],
  ['Diana', 2], ['Natalie', 2], ['Brittany', 2], ['Charlotte', 1, 'Charlie'], ['Marie', 1], ['Kayla', 1],
  ['Alexis', 1], ['Lori', 1], ['Josephine', 1, 'Jo,Josie'], ['Eleanor', 1, 'Ellie,Nell'], ['Ava', 1],
  ['Lucy', 1], ['Valerie', 1, 'Val'], ['Gwendolyn', 0.5, 'Gwen'], ['Wilhelmina', 0.1, 'Willa,Mina'],
  ['Guadalupe', 1, 'Lupe'], ['Rosa', 1], ['Carmen', 1], ['Ana', 1], ['Juana', 0.5], ['Yolanda', 0.5],
  ['María', 3], ['Renée', 1], ['Zoë', 0.5, 'Zoe'], ['Chloé', 0.5], ['Inés', 0.5], ['Sofía', 0.5],
  ['Lucía', 0.5], ['Mónica', 0.5], ['Verónica', 0.5, 'Vero'], ['Anaïs', 0.2], ['Hélène', 0.2],
  ['Béatrice', 0.2, 'Bea'], ['Agnès', 0.2], ['Noémie', 0.1], ['Mei', 0.5], ['Yuki', 0.3], ['Priya', 0.6],
  ['Aisha', 0.5], ['Fatima', 0.5], ['Ngozi', 0.2], ['Olga', 0.3], ['Svetlana', 0.2, 'Sveta'],
  ['Giulia', 0.2], ['Ingrid', 0.2], ['Astrid', 0.2], ['Thuy', 0.3], ['Linh', 0.3], ['Siobhan', 0.2],
  ['Aoife', 0.1], ['Oluwakemi', 0.1, 'Kemi'], ['Xiomara', 0.1], ['Temperance', 0.05, 'Tempe'],
];

function build(rows: readonly Row[], sex: Sex): WeightedTable<GivenName> {
  const names = rows.map(([name, , nicknames]) => ({ name, sex, nicknames: nicknames ? nicknames.split(',') : [] }));
  return new WeightedTable<GivenName>(names, rows.map(([, weight]) => weight));
}

export const MALE_NAMES = build(MALE, 'M');
export const FEMALE_NAMES = build(FEMALE, 'F');

export function givenNames(sex: Sex): WeightedTable<GivenName> {
  return sex === 'M' ? MALE_NAMES : FEMALE_NAMES;
}

/** The table entry for a name (with its nicknames); a bare entry when the name is not in the table. */
export function givenByName(name: string, sex: Sex): GivenName {
  return givenNames(sex).items.find((given) => given.name === name) ?? { name, sex, nicknames: [] };
}

/**
 * Pairs that twins' parents often chose (alliterative or rhyming), used for a share of twin pairs so the hard case
 * is harder: "Jennifer" and "Jessica" differ by little more than a typo would.
 */
export const TWIN_NAME_PAIRS: readonly (readonly [string, Sex, string, Sex])[] = [
  ['Jennifer', 'F', 'Jessica', 'F'], ['Michael', 'M', 'Matthew', 'M'], ['Daniel', 'M', 'David', 'M'],
  ['Ashley', 'F', 'Amber', 'F'], ['Brandon', 'M', 'Brian', 'M'], ['Kimberly', 'F', 'Kelly', 'F'],
  ['Emily', 'F', 'Emma', 'F'], ['Jason', 'M', 'Justin', 'M'], ['Madison', 'F', 'Mason', 'M'],
  ['Carl', 'M', 'Carol', 'F'], ['Daniel', 'M', 'Danielle', 'F'], ['Christopher', 'M', 'Christina', 'F'],
];

/** Honorifics a call-centre agent typed into the full-name field. */
export const HONORIFICS: Readonly<Record<Sex, readonly string[]>> = {
  M: ['Mr.', 'Mr', 'Dr.'],
  F: ['Mrs.', 'Ms.', 'Ms', 'Miss', 'Dr.'],
};
