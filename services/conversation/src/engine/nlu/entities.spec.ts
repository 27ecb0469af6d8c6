import {
  parseAmicableReport,
  parseAmount,
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
