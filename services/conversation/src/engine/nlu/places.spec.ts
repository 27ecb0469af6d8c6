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
