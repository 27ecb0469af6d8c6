import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePlace,
  parsePoliceReport,
  parseReportNumber,
  parseThirdPartyInvolved,
  parseThirdPartyResponsible,
} from './entities';

describe('claim facts in free text', () => {
  it('reads injuries, with negations bound to their clause', () => {
    expect(parseInjuries('pas de blessé mais j’ai mal au dos')).toBe(true);
    expect(parseInjuries('personne n’est blessé')).toBe(false);
    expect(parseInjuries('plus de peur que de mal')).toBe(false);
    expect(parseInjuries('oui')).toBe(true);
    // a description does not answer a question it was not asked
    expect(parseInjuries('une voiture m’a percuté', 'mention')).toBeNull();
  });

  it('reads a head or a knee knocked in the description as an injury, a car knocked as none', () => {
    // the bot asked "Y a-t-il des blessés ?" after this description, before dev-8
    expect(
      parseInjuries(
        'un camion a embouti ma voiture sur le parking, mon fils de 6 ans s’est cogné la tête',
        'mention',
      ),
    ).toBe(true);
    expect(parseInjuries('sa tête a heurté le pare-brise', 'mention')).toBe(true);
    expect(parseInjuries('la voiture s’est cognée contre le mur du parking', 'mention')).toBeNull();
    expect(parseInjuries('j’ai tapé le trottoir avec la roue', 'mention')).toBeNull();
  });

  it('reads the constat amiable', () => {
    expect(parseAmicableReport('on a rempli le constat ensemble')).toBe(true);
    expect(parseAmicableReport('il a refusé de signer')).toBe(false);
    expect(parseAmicableReport('délit de fuite')).toBe(false);
  });

  it('reads the police report, a future complaint being no report', () => {
    expect(parsePoliceReport('j’ai porté plainte hier')).toBe(true);
    expect(parsePoliceReport('je vais porter plainte demain')).toBe(false);
    expect(parsePoliceReport('non, pas de police')).toBe(false);
    expect(parseReportNumber('le PV porte le numéro 2026-00452')).toBe('2026-00452');
  });

  it('reads the third party and who is responsible', () => {
    expect(parseThirdPartyInvolved('une voiture m’a percuté', 'mention')).toBe(true);
    expect(parseThirdPartyInvolved('j’ai glissé tout seul dans le fossé', 'mention')).toBe(false);
    expect(parseThirdPartyResponsible('il a grillé le feu rouge', 'mention')).toBe(true);
    expect(parseThirdPartyResponsible('c’est ma faute, je ne l’ai pas vu', 'mention')).toBe(false);
    expect(parseThirdPartyResponsible('je ne sais pas')).toBeNull();
  });

  it('reads the place and the amount', () => {
    expect(parsePlace('sur l’A7 près de Valence')).toBe('A7 près de Valence');
    expect(parsePlace('ça s’est passé à Bordeaux')).toBe('Bordeaux');
    expect(parsePlace('dans ma cuisine')).toBe('domicile');
    expect(parseAmount('environ 1 500 euros')).toBe(1500);
    expect(parseAmount('deux mille cinq cents euros')).toBe(2500);
    expect(parseAmount('1200€')).toBe(1200);
    expect(parseAmount('je ne sais pas')).toBeNull();
  });
});

// issue 20: facts said in passing in a story, each rule with a sentence of its own
describe('facts in a story', () => {
  it.each<[string, boolean | null, string]>([
    [
      'j’ai pas vu la moto qui arrivait je lui ai coupé la route et il est tombé il a une égratignure au bras',
      true,
      'a negation reaches only its own words',
    ],
    ["ma voiture était sur le parking de l'hôpital à Nantes", null, 'a hospital as a place is no injury'],
    ["il est resté une nuit à l'hôpital", true, 'a hospital someone went to'],
    ["j'ai mal évalué la vitesse de la camionnette", null, '"mal" before a participle is an adverb'],
    ['la grêle a criblé de bosses le capot', null, 'a dent in the car'],
    ['ma fille a une bosse', true, 'a bump on a person'],
    ['la jante est tordue', null, 'a bent rim'],
    ['ma femme a le poignet foulé', true, 'a body part sprained'],
    ["la porte d'entrée a été fracturée", null, 'a door forced'],
    ['on a fracturé ma voiture', null, 'a car forced'],
    ['je me suis fracturé le coude', true, 'a bone'],
    ['le parquet a gonflé', null, 'a swollen floor'],
    ['mon genou est enflé', true, 'a swollen knee'],
    ['une coupure de courant', null, 'a power cut'],
    ["ma femme s'est brûlé la main", true, 'a burnt hand'],
    ["j'ai reçu des morceaux de plafond sur la tête", true, 'something on the head'],
  ])('injuries in %p: %p (%s)', (text, expected) => {
    expect(parseInjuries(text, 'mention')).toBe(expected);
  });

  it('reads a police that did not come with the "ne" dropped', () => {
    expect(parsePoliceReport('constat fait, police pas venue, photos prises', 'mention')).toBe(false);
    expect(parsePoliceReport('la police est venue', 'mention')).toBe(true);
  });

  it.each<[string, boolean | null, string]>([
    ["sans regarder il m'a envoyé contre le terre-plein", null, 'sent against a barrier'],
    ['ils ont pris un appareil photo', null, 'a camera stolen'],
    ["j'ai reçu des morceaux sur la tête", null, 'received a blow'],
    ['je vous ai envoyé les photos', true, 'documents sent'],
    ["j'ai le reçu", true, 'a receipt'],
  ])('documents in %p: %p (%s)', (text, expected) => {
    expect(parseDocuments(text, 'mention')).toBe(expected);
  });

  it.each<[string, boolean | null, string]>([
    ["j'ai glissé dans la voiture à côté", true, 'slid into another car'],
    ["j'ai glissé sur une flaque d'huile dans un supermarché", null, 'a slip on a shop floor says nothing'],
    ['la voiture du voisin a dévalé la pente toute seule', true, 'alone is the other car'],
    ['je suis parti tout seul dans le fossé', false, 'the client alone'],
    ["j'ai reculé et j'ai touché le muret du voisin", true, "a neighbour's wall"],
    ["j'ai touché le plot en béton", false, 'an obstacle of nobody'],
    ['un poids lourd a percuté le mur de ma maison', true, 'an obstacle hit by someone else'],
    ['pas de voisin touché', false, 'no neighbour'],
    ['le vent a fait tomber la clôture entre nous et le voisin', null, 'a neighbour as a landmark'],
    ['un caillou projeté par un camion', null, 'a thing thrown by a passing vehicle'],
    ['on ne sait pas encore si elle est chez moi ou chez le voisin', null, 'not known yet'],
  ])('third party in %p: %p (%s)', (text, expected) => {
    expect(parseThirdPartyInvolved(text, 'mention')).toBe(expected);
  });
});
