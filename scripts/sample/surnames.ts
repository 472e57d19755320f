/**
 * Surname data: the head is the 2010 US census top list with approximate per-mille weights, so "Smith" and
 * "Garcia" produce the namesakes a real customer base has; the tail holds rarer, multi-part and accented surnames
 * that stress name normalisation ("Van der Berg", "O'Neill", "De la Cruz", "Muñoz").
 */
import { WeightedTable } from './random';

const COMMON: readonly (readonly [string, number])[] = [
  ['Smith', 8.3], ['Johnson', 6.6], ['Williams', 5.5], ['Brown', 4.9], ['Jones', 4.8], ['Garcia', 3.9],
  ['Miller', 3.9], ['Davis', 3.8], ['Rodriguez', 3.6], ['Martinez', 3.5], ['Hernandez', 3.4], ['Lopez', 2.9],
  ['Gonzalez', 2.8], ['Wilson', 2.6], ['Anderson', 2.6], ['Thomas', 2.5], ['Taylor', 2.5], ['Moore', 2.4],
  ['Jackson', 2.4], ['Martin', 2.4], ['Lee', 2.3], ['Perez', 2.2], ['Thompson', 2.2], ['White', 2.1],
  ['Harris', 2.0], ['Sanchez', 2.0], ['Clark', 1.8], ['Ramirez', 1.8], ['Lewis', 1.7], ['Robinson', 1.7],
  ['Walker', 1.6], ['Young', 1.5], ['Allen', 1.5], ['King', 1.5], ['Wright', 1.5], ['Scott', 1.4],
  ['Torres', 1.4], ['Nguyen', 1.4], ['Hill', 1.4], ['Flores', 1.4], ['Green', 1.3], ['Adams', 1.3],
  ['Nelson', 1.3], ['Baker', 1.3], ['Hall', 1.3], ['Rivera', 1.2], ['Campbell', 1.2], ['Mitchell', 1.2],
  ['Carter', 1.2], ['Roberts', 1.2], ['Gomez', 1.1], ['Phillips', 1.1], ['Evans', 1.1], ['Turner', 1.1],
  ['Diaz', 1.1], ['Parker', 1.1], ['Cruz', 1.1], ['Edwards', 1.1], ['Collins', 1.1], ['Reyes', 1.1],
  ['Stewart', 1.0], ['Morris', 1.0], ['Morales', 1.0], ['Murphy', 1.0], ['Cook', 1.0], ['Rogers', 1.0],
  ['Gutierrez', 0.9], ['Ortiz', 0.9], ['Morgan', 0.9], ['Cooper', 0.9], ['Peterson', 0.9], ['Bailey', 0.9],
  ['Reed', 0.9], ['Kelly', 0.9], ['Howard', 0.9], ['Ramos', 0.9], ['Kim', 0.9], ['Cox', 0.9], ['Ward', 0.9],
  ['Richardson', 0.8], ['Watson', 0.8], ['Brooks', 0.8], ['Chavez', 0.8], ['Wood', 0.8], ['James', 0.8],
  ['Bennett', 0.8], ['Gray', 0.8], ['Mendoza', 0.8], ['Ruiz', 0.8], ['Hughes', 0.8], ['Price', 0.8],
  ['Alvarez', 0.8], ['Castillo', 0.8], ['Sanders', 0.8], ['Patel', 0.8], ['Myers', 0.7], ['Long', 0.7],
  ['Ross', 0.7], ['Foster', 0.7], ['Jimenez', 0.7], ['Powell', 0.7], ['Jenkins', 0.7], ['Perry', 0.7],
  ['Russell', 0.7], ['Sullivan', 0.7], ['Bell', 0.7], ['Coleman', 0.7], ['Butler', 0.7], ['Henderson', 0.7],
  ['Barnes', 0.7], ['Gonzales', 0.7], ['Fisher', 0.7], ['Vasquez', 0.6], ['Simmons', 0.6], ['Romero', 0.6],
  ['Jordan', 0.6], ['Patterson', 0.6], ['Alexander', 0.6], ['Hamilton', 0.6], ['Graham', 0.6],
  ['Reynolds', 0.6], ['Griffin', 0.6], ['Wallace', 0.6], ['Moreno', 0.6], ['West', 0.6], ['Cole', 0.6],
  ['Hayes', 0.6], ['Bryant', 0.6], ['Herrera', 0.6], ['Gibson', 0.6], ['Ellis', 0.6], ['Tran', 0.6],
  ['Medina', 0.6], ['Aguilar', 0.6], ['Stevens', 0.6], ['Murray', 0.6], ['Ford', 0.6], ['Castro', 0.6],
  ['Marshall', 0.6], ['Owens', 0.6], ['Harrison', 0.6], ['Fernandez', 0.6], ['McDonald', 0.6],
  ['Woods', 0.6], ['Washington', 0.6], ['Kennedy', 0.5], ['Wells', 0.5], ['Vargas', 0.5], ['Henry', 0.5],
  ['Chen', 0.5], ['Freeman', 0.5], ['Webb', 0.5], ['Tucker', 0.5], ['Guzman', 0.5], ['Burns', 0.5],
  ['Crawford', 0.5], ['Olson', 0.5], ['Simpson', 0.5], ['Porter', 0.5], ['Hunter', 0.5], ['Gordon', 0.5],
  ['Mendez', 0.5], ['Silva', 0.5], ['Shaw', 0.5], ['Snyder', 0.5], ['Mason', 0.5], ['Dixon', 0.5],
  ['Munoz', 0.5], ['Hunt', 0.5], ['Hicks', 0.5], ['Holmes', 0.5], ['Palmer', 0.5], ['Wagner', 0.5],
  ['Black', 0.5], ['Robertson', 0.5], ['Boyd', 0.5], ['Rose', 0.5], ['Stone', 0.5], ['Salazar', 0.5],
  ['Fox', 0.5], ['Warren', 0.5], ['Mills', 0.5], ['Meyer', 0.5], ['Rice', 0.5], ['Schmidt', 0.5],
  ['Garza', 0.5], ['Daniels', 0.5], ['Ferguson', 0.5], ['Nichols', 0.5], ['Stephens', 0.5], ['Soto', 0.5],
  ['Weaver', 0.5], ['Ryan', 0.5], ['Gardner', 0.5], ['Payne', 0.5], ['Grant', 0.5], ['Dunn', 0.5],
  ['Wang', 0.5], ['Li', 0.5], ['Zhang', 0.4], ['Liu', 0.4], ['Singh', 0.4], ['Shah', 0.3], ['Khan', 0.3],
];

/** Surnames with spaces, apostrophes, particles or accents; each is a normalisation trap. */
const MULTI_PART: readonly (readonly [string, number])[] = [
  ["O'Neill", 0.25], ["O'Brien", 0.3], ["O'Connor", 0.25], ["O'Sullivan", 0.1], ["D'Angelo", 0.1],
  ["D'Souza", 0.08], ['Van der Berg', 0.05], ['Van Buren', 0.05], ['Van Dyke', 0.08], ['Vanderbilt', 0.03],
  ['De la Cruz', 0.15], ['De la Rosa', 0.1], ['Del Rosario', 0.08], ['De Leon', 0.15], ['De Jesus', 0.1],
  ['Da Silva', 0.08], ['Dos Santos', 0.06], ['Von Trapp', 0.01], ['Le Blanc', 0.05], ['LeBlanc', 0.08],
  ['St. John', 0.04], ['McCarthy', 0.15], ['MacArthur', 0.04], ['McLaughlin', 0.08], ['DiMaggio', 0.02],
  ['Muñoz', 0.2], ['Peña', 0.2], ['Núñez', 0.15], ['Ibáñez', 0.05], ['Gómez', 0.15], ['Méndez', 0.08],
  ['Hernández', 0.15], ['Rodríguez', 0.15], ['Pérez', 0.1], ['Sánchez', 0.1], ['Martínez', 0.1],
  ['Müller', 0.04], ['Schäfer', 0.02], ['Björk', 0.01], ['Ramírez-Ortega', 0.02], ['García Márquez', 0.02],
];

/** A long tail of rarer surnames so not every name is a namesake candidate. */
const RARE = (
  'Abernathy Achterberg Adeyemi Aldridge Almeida Amundsen Antonelli Arbuckle Archuleta Ashworth Babcock ' +
  'Balderrama Bancroft Barrientos Beauchamp Bergstrom Blackwood Bocanegra Bojorquez Bouchard Brannigan ' +
  'Brzezinski Calloway Castellanos Chakraborty Chikwanha Cisneros Concepcion Cortazar Cunningham Dabrowski ' +
  'Delacroix Desrosiers Dimitrov Dougherty Drummond Eberhardt Echeverria Eisenberg Ellingson Espinoza ' +
  'Fairweather Fitzgerald Fontenot Fukuda Gallagher Giordano Goldberg Grabowski Gunawardena Habibi ' +
  'Halvorsen Hargreaves Hashemi Hatfield Hollingsworth Hutchinson Ibarra Iwasaki Jablonski Jaramillo ' +
  'Kapoor Kaczmarek Kawasaki Kowalczyk Krishnamurthy Kuznetsov Lachance Lindqvist Lockhart Lundgren ' +
  'Macintyre Malinowski Marchetti Matsumoto McAllister Mbeki Montgomery Nakamura Nakashima Nieminen ' +
  'Novak Nwosu Obradovic Okafor Okonkwo Olivares Ostrowski Oyelaran Papadopoulos Pemberton Petrovic ' +
  'Pfeiffer Quesada Quisenberry Radcliffe Raghunathan Rasmussen Rosenthal Sakamoto Santangelo Schumacher ' +
  'Sepulveda Shimizu Sokolov Stavropoulos Sutherland Szymanski Takahashi Thibodeaux Trujillo Underwood ' +
  'Valenzuela Vandermeer Villanueva Vukovic Wainwright Weatherby Whitfield Wojcik Yamamoto Yilmaz ' +
  'Zamora Zielinski Zimmerman Zuckerman'
).split(' ');

export const SURNAMES = new WeightedTable<string>(
  [...COMMON.map(([name]) => name), ...MULTI_PART.map(([name]) => name), ...RARE],
  [...COMMON.map(([, weight]) => weight), ...MULTI_PART.map(([, weight]) => weight), ...RARE.map(() => 0.03)],
);

/** The most common surnames, for namesake pairs ("same common full name"). */
export const COMMON_SURNAMES: readonly string[] = COMMON.slice(0, 25).map(([name]) => name);

/** Common given names for namesake pairs, with the sex they belong to. */
export const COMMON_GIVEN: readonly (readonly [string, 'F' | 'M'])[] = [
  ['James', 'M'], ['Robert', 'M'], ['John', 'M'], ['Michael', 'M'], ['David', 'M'], ['William', 'M'],
  ['Mary', 'F'], ['Patricia', 'F'], ['Jennifer', 'F'], ['Linda', 'F'], ['Elizabeth', 'F'], ['Maria', 'F'],
];
