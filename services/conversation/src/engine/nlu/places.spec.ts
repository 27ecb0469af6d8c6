// Places as a person says them: only the place, with the parts found.
import { type PlaceParts, parsePlaceParts } from './places';

const CASES: readonly (readonly [string, PlaceParts | null])[] = [
  // street and number
  [
    'au 12 rue Victor Hugo à Grenoble',
    { text: '12 rue Victor Hugo à Grenoble', road: '12 rue Victor Hugo', city: 'Grenoble' },
  ],
  [
    "devant le 45 avenue Jean Jaurès, une voiture m'a percuté",
    { text: '45 avenue Jean Jaurès', road: '45 avenue Jean Jaurès' },
  ],
  [
    'rue de la République à Lyon hier vers 18h',
    { text: 'rue de la République à Lyon', road: 'rue de la République', city: 'Lyon' },
  ],
  [
    "boulevard Haussmann à Paris et m'a embouti la portière",
    { text: 'boulevard Haussmann à Paris', road: 'boulevard Haussmann', city: 'Paris' },
  ],
  ["rue de la Paix une voiture m'a percuté", { text: 'rue de la Paix', road: 'rue de la Paix' }],
  [
    'à Marseille, boulevard Michelet, il pleuvait',
    { text: 'boulevard Michelet à Marseille', road: 'boulevard Michelet', city: 'Marseille' },
  ],
  // a square
  ['place Bellecour à Lyon', { text: 'place Bellecour à Lyon', road: 'place Bellecour', city: 'Lyon' }],
  [
    'sur la place du Marché à Dijon',
    { text: 'place du Marché à Dijon', road: 'place du Marché', city: 'Dijon' },
  ],
  // named places: a shop, a car park, a school, a station
  [
    "sur le parking du Carrefour de Villeurbanne et j'ai accroché une voiture garée",
    { text: 'parking du Carrefour de Villeurbanne', landmark: 'parking du Carrefour de Villeurbanne' },
  ],
  ['devant le Leclerc de Rennes', { text: 'Leclerc de Rennes', landmark: 'Leclerc de Rennes' }],
  [
    "devant l'école Jules Ferry en déposant les enfants",
    { text: 'école Jules Ferry', landmark: 'école Jules Ferry' },
  ],
  [
    'à la station Total de Montélimar',
    { text: 'station Total de Montélimar', landmark: 'station Total de Montélimar' },
  ],
  [
    'sur le parking de mon travail à Massy',
    { text: 'parking de mon travail à Massy', landmark: 'parking de mon travail', city: 'Massy' },
  ],
  // a motorway and its junction
  ["sur l'A7 à la sortie 15", { text: 'A7 à la sortie 15', road: 'A7' }],
  ["sur l'A43 entre Lyon et Chambéry", { text: 'A43 entre Lyon et Chambéry', road: 'A43' }],
  [
    'sur la nationale 7 près de Valence',
    { text: 'nationale 7 près de Valence', road: 'nationale 7', city: 'Valence' },
  ],
  // a city
  ['ça s’est passé à Bordeaux', { text: 'Bordeaux', city: 'Bordeaux' }],
  ['à Aix-en-Provence en rentrant du travail', { text: 'Aix-en-Provence', city: 'Aix-en-Provence' }],
  // home
  ['devant chez moi', { text: 'devant chez moi' }],
  ['dans ma cuisine', { text: 'domicile' }],
  // no place
  ['je ne sais plus', null],
  ['en faisant un créneau', null],
];

describe('places as said', () => {
  it.each(CASES)('%s', (said, expected) => {
    expect(parsePlaceParts(said)).toEqual(expected);
  });

  it('names the client\'s address for "devant chez moi" when the directory has it', () => {
    expect(parsePlaceParts('juste devant chez moi', { homeAddress: '3 rue des Lilas, 69003 Lyon' })).toEqual({
      text: 'devant chez moi (3 rue des Lilas, 69003 Lyon)',
    });
  });

  // property: a neutral detail before or after never changes the place found
  const DETAILS: readonly (readonly [string, string])[] = [
    ['hier vers 18h, ', ''],
    ['', ', il pleuvait'],
    ['je rentrais du travail, ', ''],
    ['ce matin ', ' vers 8h'],
    ['', " et j'ai eu très peur"],
  ];
  it.each(CASES.filter(([, expected]) => expected !== null && expected.text !== 'domicile'))(
    'keeps the place of %s with details around it',
    (said, expected) => {
      for (const [before, after] of DETAILS) {
        expect(parsePlaceParts(`${before}${said}${after}`)).toEqual(expected);
      }
    },
  );
});

// Words that look like a place but are not one: each rule with a sentence of its own.
const NOT_PLACES: readonly (readonly [string, string, PlaceParts | null])[] = [
  ['a head ending its clause takes no name', 'garée sur le boulevard, a eu les vitres cassées', null],
  ['a new clause after the head', 'ma voiture garée dans la rue le toit est enfoncé', null],
  [
    '"garé" is no station',
    "j'étais garé devant la boulangerie",
    { text: 'boulangerie', landmark: 'boulangerie' },
  ],
  ['a kind of place with "un"', "une voiture qui sortait d'un parking sans céder le passage", null],
  ['a roundabout without its name', "on s'est accrochés dans un rond-point, je sais pas qui a tort", null],
  ['a crossroads without its name', 'il a refusé la priorité au carrefour', null],
  [
    'a crossroads with its name',
    'au carrefour de la Croix-Rousse',
    { text: 'carrefour de la Croix-Rousse', landmark: 'carrefour de la Croix-Rousse' },
  ],
  ['"sortie de route" is an accident', 'sortie de route seul, voiture dans le fossé', null],
  [
    '"à la sortie de l\'école" is a moment',
    "à la sortie de l'école rue Pasteur à Grenoble",
    { text: 'rue Pasteur à Grenoble', road: 'rue Pasteur', city: 'Grenoble' },
  ],
  ['an obstacle hit names no place', "j'ai reculé dans le poteau du portail de l'école", null],
  ['"il y a" is a verb', 'il y a deux jours un cycliste a heurté ma portière', null],
  ['"a" before a negation is a verb', 'il a pas du tout freiné', null],
  ['"à" before an infinitive', 'on était deux à changer de file', null],
  ['"a mal" is no city', 'un camion m’a percuté, mon passager a mal au dos', null],
  ['"frein à main" is no city', "j'ai oublié de serrer le frein à main", null],
  ['"à temps" is no city', "j'ai pas pu m'arrêter à temps", null],
  [
    'a verb after the landmark',
    "au parking s'est produit l'accident",
    { text: 'parking', landmark: 'parking' },
  ],
  [
    'a time after the landmark',
    "voiture inondée dans le parking souterrain après l'orage",
    { text: 'parking souterrain', landmark: 'parking souterrain' },
  ],
  ['where the client was meanwhile', "cambriolé pendant que j'étais à l'hôpital", null],
  ['where the hurt went afterwards', "il est resté une nuit à l'hôpital", null],
  ['home gone back to', 'je suis rentré chez moi et le lendemain la voiture était enfoncée', null],
  ['home as the source', 'je crois que ça vient de chez moi', null],
  ['home as one guess of two', 'on ne sait pas si elle est chez moi ou chez le voisin', null],
  ['home in its town', 'dégât des eaux chez moi à Rennes', { text: 'domicile', city: 'Rennes' }],
  [
    'a city corrected in the sentence',
    "à Nantes, enfin à Rezé, on m'a volé mon vélo",
    { text: 'Rezé', city: 'Rezé' },
  ],
];

describe('what is not the place', () => {
  it.each(NOT_PLACES)('%s: %s', (_rule, said, expected) => {
    expect(parsePlaceParts(said)).toEqual(expected);
  });
});
