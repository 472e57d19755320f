/**
 * US places. ZIP prefixes and area codes are the real ones for each city so ZIP, state and phone agree the way
 * they do in real exports; city names repeat across states (Springfield, Portland, Aurora) on purpose.
 */
import { WeightedTable } from './random';

export interface City {
  name: string;
  state: string;
  /** First three ZIP digits (leading zeros kept: New England ZIPs start with 0). */
  zip3: string;
  areaCodes: readonly string[];
}

/** [city, state, zip3, area codes separated by spaces, weight]. */
const CITIES: readonly (readonly [string, string, string, string, number])[] = [
  ['New York', 'NY', '100', '212 646 917', 40], ['Brooklyn', 'NY', '112', '718 347 929', 25],
  ['Los Angeles', 'CA', '900', '213 310 323', 35], ['Chicago', 'IL', '606', '312 773 872', 27],
  ['Houston', 'TX', '770', '713 281 832', 23], ['Phoenix', 'AZ', '850', '602 480 623', 16],
  ['Philadelphia', 'PA', '191', '215 267', 15], ['San Antonio', 'TX', '782', '210 726', 14],
  ['San Diego', 'CA', '921', '619 858', 13], ['Dallas', 'TX', '752', '214 469 972', 13],
  ['San Jose', 'CA', '951', '408 669', 10], ['Austin', 'TX', '787', '512 737', 10],
  ['Jacksonville', 'FL', '322', '904', 9], ['Columbus', 'OH', '432', '614 380', 9],
  ['Charlotte', 'NC', '282', '704 980', 9], ['Indianapolis', 'IN', '462', '317 463', 8],
  ['Seattle', 'WA', '981', '206', 8], ['Denver', 'CO', '802', '303 720', 8], ['Washington', 'DC', '200', '202', 7],
  ['Boston', 'MA', '021', '617 857', 7], ['El Paso', 'TX', '799', '915', 7], ['Nashville', 'TN', '372', '615 629', 7],
  ['Detroit', 'MI', '482', '313', 6], ['Oklahoma City', 'OK', '731', '405', 6], ['Portland', 'OR', '972', '503 971', 6],
  ['Las Vegas', 'NV', '891', '702 725', 6], ['Memphis', 'TN', '381', '901', 6], ['Louisville', 'KY', '402', '502', 6],
  ['Baltimore', 'MD', '212', '410 443', 6], ['Milwaukee', 'WI', '532', '414', 6], ['Albuquerque', 'NM', '871', '505', 5],
  ['Tucson', 'AZ', '857', '520', 5], ['Fresno', 'CA', '937', '559', 5], ['Sacramento', 'CA', '958', '916', 5],
  ['Kansas City', 'MO', '641', '816', 5], ['Atlanta', 'GA', '303', '404 470 678', 5], ['Miami', 'FL', '331', '305 786', 5],
  ['Omaha', 'NE', '681', '402', 5], ['Raleigh', 'NC', '276', '919 984', 5], ['Minneapolis', 'MN', '554', '612', 4],
  ['Oakland', 'CA', '946', '510', 4], ['Tulsa', 'OK', '741', '918', 4], ['Cleveland', 'OH', '441', '216', 4],
  ['Wichita', 'KS', '672', '316', 4], ['New Orleans', 'LA', '701', '504', 4], ['Tampa', 'FL', '336', '813', 4],
  ['Aurora', 'CO', '800', '303 720', 4], ['Aurora', 'IL', '605', '630 331', 2], ['Saint Paul', 'MN', '551', '651', 3],
  ['St. Louis', 'MO', '631', '314', 3], ['Pittsburgh', 'PA', '152', '412', 3], ['Cincinnati', 'OH', '452', '513', 3],
  ['Orlando', 'FL', '328', '407 689', 3], ['Buffalo', 'NY', '142', '716', 3], ['Newark', 'NJ', '071', '973 862', 3],
  ['Jersey City', 'NJ', '073', '201 551', 3], ['Lexington', 'KY', '405', '859', 3], ['Anchorage', 'AK', '995', '907', 3],
  ['Honolulu', 'HI', '968', '808', 3], ['Richmond', 'VA', '232', '804', 2], ['Norfolk', 'VA', '235', '757', 2],
  ['Boise', 'ID', '837', '208', 2], ['Spokane', 'WA', '992', '509', 2], ['Salt Lake City', 'UT', '841', '801 385', 2],
  ['Reno', 'NV', '895', '775', 2], ['Des Moines', 'IA', '503', '515', 2], ['Madison', 'WI', '537', '608', 2],
  ['Grand Rapids', 'MI', '495', '616', 2], ['Little Rock', 'AR', '722', '501', 2], ['Baton Rouge', 'LA', '708', '225', 2],
  ['Birmingham', 'AL', '352', '205', 2], ['Montgomery', 'AL', '361', '334', 1], ['Jackson', 'MS', '392', '601 769', 1],
  ['Savannah', 'GA', '314', '912', 1], ['Columbus', 'GA', '319', '706 762', 1], ['Columbia', 'SC', '292', '803', 1],
  ['Charleston', 'SC', '294', '843', 1], ['Charleston', 'WV', '253', '304 681', 1], ['Greenville', 'SC', '296', '864', 1],
  ['Providence', 'RI', '029', '401', 2], ['Hartford', 'CT', '061', '860 959', 2], ['Worcester', 'MA', '016', '508 774', 2],
  ['Springfield', 'MA', '011', '413', 1], ['Springfield', 'IL', '627', '217', 1], ['Springfield', 'MO', '658', '417', 1],
  ['Portland', 'ME', '041', '207', 1], ['Burlington', 'VT', '054', '802', 1], ['Manchester', 'NH', '031', '603', 1],
  ['Albany', 'NY', '122', '518', 1], ['Rochester', 'NY', '146', '585', 1], ['Wilmington', 'DE', '198', '302', 1],
  ['Peoria', 'IL', '616', '309', 1], ['Billings', 'MT', '591', '406', 1], ['Fargo', 'ND', '581', '701', 1],
  ['Sioux Falls', 'SD', '571', '605', 1], ['Cheyenne', 'WY', '820', '307', 0.5], ['Franklin', 'TN', '370', '615', 1],
];

export const CITY_TABLE = new WeightedTable<City>(
  CITIES.map(([name, state, zip3, codes]) => ({ name, state, zip3, areaCodes: codes.split(' ') })),
  CITIES.map(([, , , , weight]) => weight),
);

export const STREET_NAMES: readonly string[] = (
  'Main,Oak,Pine,Maple,Cedar,Elm,Washington,Lake,Hill,Park,Walnut,Sunset,Lincoln,Jackson,Church,River,' +
  'Highland,Meadow,Forest,Willow,Chestnut,Spring,Ridge,Franklin,Jefferson,Madison,Adams,Center,Mill,Union,' +
  'Cherry,Dogwood,Magnolia,Hickory,Sycamore,Birch,Aspen,Laurel,Poplar,Cypress,Lakeview,Fairview,Prospect,' +
  'Broadway,Market,Front,Water,Bridge,Railroad,Valley,Orchard,Greenwood,Country Club,Hillcrest,Woodland,' +
  'Riverside,Sunrise,Heritage,Liberty,Independence,Kingston,Cambridge,Oxford,Belmont,Clinton,Monroe,Grant,' +
  'Martin Luther King Jr,Cesar Chavez,Peachtree,Bayshore,Canyon,Mesa,Sierra Vista,Old Mill,Quail Run,' +
  'Fox Hollow,Deer Creek,Stonegate,Windsor,Ashford,Brookside,Summit,Pleasant,Mulberry,Juniper,Second,Third,' +
  'Fourth,Fifth,Sixth,Seventh,Eighth,Ninth,Tenth,1st,2nd,3rd,4th,5th,12th,21st,42nd'
).split(',');

/** [full suffix, USPS abbreviation, weight]. Exports mix both spellings. */
export const STREET_SUFFIXES = new WeightedTable<readonly [string, string]>(
  [
    ['Street', 'St'], ['Avenue', 'Ave'], ['Road', 'Rd'], ['Drive', 'Dr'], ['Lane', 'Ln'], ['Court', 'Ct'],
    ['Boulevard', 'Blvd'], ['Way', 'Way'], ['Place', 'Pl'], ['Terrace', 'Ter'], ['Circle', 'Cir'], ['Parkway', 'Pkwy'],
  ],
  [30, 18, 14, 12, 8, 6, 3, 3, 2, 1, 2, 1],
);

/** [full, abbreviated] directional prefixes. */
export const DIRECTIONS: readonly (readonly [string, string])[] = [
  ['North', 'N'], ['South', 'S'], ['East', 'E'], ['West', 'W'],
];

/** Free-mail providers with rough US shares; gmail's dot/plus rules make it the interesting one. */
export const EMAIL_DOMAINS = new WeightedTable<string>(
  ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'comcast.net', 'att.net',
    'verizon.net', 'msn.com', 'live.com', 'protonmail.com', 'me.com', 'sbcglobal.net'],
  [38, 14, 9, 8, 5, 6, 4, 3, 2, 2, 2, 1, 2, 2],
);

/** Employers for second (work) email addresses. */
export const WORK_DOMAINS: readonly string[] = [
  'acme-corp.com', 'globex.com', 'initech.com', 'umbrella-health.org', 'stateu.edu', 'cityofspringfield.gov',
  'contoso.com', 'fabrikam.com', 'wayneenterprises.com', 'lakeside-school.org', 'tailspintoys.com',
];
