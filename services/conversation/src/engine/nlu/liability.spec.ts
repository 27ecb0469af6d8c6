// Responsibility from the story (IRSA / IDA convention cases): who did what decides, and
// anything unsettled is null, so the bot asks rather than guesses.
import { type LiabilityRule, readLiability } from './liability';

type Case = readonly [story: string, responsible: boolean | null, rule: LiabilityRule | null];

const CASES: readonly Case[] = [
  // rear-end: the one behind is at fault
  ["j'ai percuté la voiture de devant", false, 'CHOC_ARRIERE'],
  ["on m'a percuté par l'arrière", true, 'CHOC_ARRIERE'],
  ["j'ai été percuté par l'arrière au péage", true, 'CHOC_ARRIERE'],
  ["je n'ai pas pu freiner et je suis rentré dans la voiture devant moi", false, 'CHOC_ARRIERE'],
  // reversing
  ["j'ai reculé et touché une voiture", false, 'MARCHE_ARRIERE'],
  ["il reculait et m'a heurté", true, 'MARCHE_ARRIERE'],
  ["en reculant, le camion m'a accroché", true, 'MARCHE_ARRIERE'],
  // red light
  ['il a grillé le feu rouge', true, 'FEU_ROUGE'],
  ["j'ai grillé le feu", false, 'FEU_ROUGE'],
  ["mon feu était vert quand elle m'a percuté", true, 'FEU_ROUGE'],
  // priority
  ["il m'a refusé la priorité", true, 'REFUS_PRIORITE'],
  ["une camionnette m'a refusé la priorité et m'a percuté", true, 'REFUS_PRIORITE'],
  ["je n'ai pas vu le stop", false, 'REFUS_PRIORITE'],
  ["il n'a pas respecté la priorité à droite", true, 'REFUS_PRIORITE'],
  // opening a door
  ["j'ai ouvert ma portière et un cycliste l'a prise", false, 'OUVERTURE_PORTIERE'],
  ['il a ouvert sa portière au moment où je passais', true, 'OUVERTURE_PORTIERE'],
  // changing lanes
  ['il a changé de file sans regarder', true, 'CHANGEMENT_FILE'],
  ["j'ai changé de voie sans voir la moto", false, 'CHANGEMENT_FILE'],
  ["en me rabattant j'ai touché la voiture de droite", false, 'CHANGEMENT_FILE'],
  // parked vehicle hit
  ["ma voiture était garée et on l'a emboutie", true, 'STATIONNEMENT'],
  ["en faisant un créneau j'ai accroché une voiture garée", false, 'STATIONNEMENT'],
  ["j'étais à l'arrêt au feu et une voiture m'a percuté", true, 'VEHICULE_ARRETE'],
  // home: the water came from next door
  ['une fuite chez le voisin du dessus a abîmé mon plafond', true, 'ORIGINE_TIERS'],
  // water from the client's home into the neighbour's below
  ["mon chauffe-eau a fui et l'eau s'est infiltrée chez le voisin du dessous", false, 'DECLARATION'],
  ["ma piscine hors sol a cédé et l'eau a ravagé le jardin de la voisine en contrebas", false, 'DECLARATION'],
  // a neighbour named is no origin by itself: a tree in a storm, a fire, a destination
  ['un arbre du jardin du voisin est tombé sur ma véranda pendant la tempête', null, null],
  ['la voiture du voisin a brûlé dans le garage commun', null, null],
  // a car at rest with no impact: a branch, rats
  ['une branche est tombée sur ma voiture garée dans la rue', null, null],
  ['des rats ont rongé les câbles de ma voiture garée', null, null],
  // "je lui ai": an object, the subject is the client
  ['je lui ai coupé la route et il est tombé', false, 'REFUS_PRIORITE'],
  // "moi qui": the antecedent decides; denied and given to the other
  ["c'est moi qui ai reculé dans la voiture du collègue", false, 'MARCHE_ARRIERE'],
  ["ce n'est pas moi qui ai reculé, c'est lui", true, 'MARCHE_ARRIERE'],
  // a gerund after its verb goes with the subject on its left
  ['une voiture en marche arrière a percuté mon véhicule à l’arrêt', true, 'VEHICULE_ARRETE'],
  [
    'une voiture est sortie d’une place en marche arrière juste devant moi et elle a enfoncé mon pare-chocs',
    true,
    'MARCHE_ARRIERE',
  ],
  // told the other way round, spoken: "je lui suis rentré dedans"
  ["le scooter devant moi a freiné d'un coup et je lui suis rentré dedans", false, 'CHOC_ARRIERE'],
  // "j'ai fait un créneau" is no passive
  ["j'ai fait un créneau et j'ai touché le plot", false, 'MANOEUVRE'],
  // the client's own words
  ["c'est ma faute, je ne l'ai pas vu", false, 'DECLARATION'],
  ["ce n'est pas ma faute, il m'a coupé la route", true, 'REFUS_PRIORITE'],
  ["il prétend que j'ai grillé le feu mais c'est lui qui est passé au rouge", true, 'FEU_ROUGE'],
  ["je n'ai pas grillé le feu", null, null],
  // not settled: asked
  ['je ne sais pas qui a tort', null, 'INDETERMINEE'],
  ["c'est peut-être moi", null, 'INDETERMINEE'],
  ['les torts sont partagés', null, 'INDETERMINEE'],
  ["je crois qu'il a grillé le feu", null, 'INDETERMINEE'],
  ["j'ai reculé mais lui aussi reculait", null, 'INDETERMINEE'],
  ["une voiture m'a percuté", null, null],
  ["on s'est accrochés au carrefour", null, null],
];

describe('responsibility from the story', () => {
  it.each(CASES)('%s -> %s (%s)', (story, responsible, rule) => {
    const liability = readLiability(story, 'mention');
    expect(liability.responsible).toBe(responsible);
    expect(liability.rule).toBe(rule);
    if (responsible !== null)
      expect(liability.label).toMatch(responsible ? /tiers en tort$/ : /assuré en tort$/);
  });

  it('takes a bare yes or no only as the answer to its own question', () => {
    expect(readLiability('oui', 'answer')).toMatchObject({ responsible: true, rule: 'REPONSE_CLIENT' });
    expect(readLiability('non', 'answer')).toMatchObject({ responsible: false, rule: 'REPONSE_CLIENT' });
    expect(readLiability('oui', 'mention').responsible).toBeNull();
    expect(readLiability("oui, il m'a refusé la priorité", 'answer').rule).toBe('REFUS_PRIORITE');
  });

  // property: a neutral detail around the story never makes the answer wrong (at worst unsettled)
  const DETAILS: readonly (readonly [string, string])[] = [
    ['hier vers 18h, ', ''],
    ['', ', il pleuvait'],
    ['je rentrais du travail, ', ''],
    ['', " et c'était ce matin sur la route de l'école"],
    ['Bonjour, ', ', merci'],
    ['ce matin sous la pluie ', " vers 8h alors que j'emmenais les enfants"],
    ['', '. Ma femme était avec moi'],
  ];
  it.each(CASES.filter(([, responsible]) => responsible !== null))(
    'keeps %s right with details around it',
    (story, responsible) => {
      for (const [before, after] of DETAILS) {
        const read = readLiability(`${before}${story}${after}`, 'mention').responsible;
        expect([responsible, null]).toContain(read);
      }
    },
  );
});
