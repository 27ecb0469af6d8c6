import { parseClaimType, parseClaimTypeAnswer } from './claim-type';

describe('parseClaimType', () => {
  it.each([
    ["J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière", 'collision'],
    ['un automobiliste a accroché mon rétroviseur, et j’ai mal au cou', 'collision'],
    ['on a cambriolé mon appartement', 'vol'],
    ['vitre cassée mais rien n’a été volé', 'degats'],
    ['ma voiture a pris feu', 'incendie'],
    ['accident avec un camion sur la nationale', 'collision'],
    ['une fuite d’eau a traversé le plafond', 'degats'],
    ['je suis tombé dans l’escalier, j’ai une entorse', 'blessure'],
    ['je me suis brûlé la main en cuisinant', 'blessure'],
  ])('classifies %p', (text, expected) => {
    expect(parseClaimType(text)).toBe(expected);
  });

  it.each(['bonjour', 'ma voiture', 'je voudrais des informations'])('does not guess from %p', (text) => {
    expect(parseClaimType(text)).toBeNull();
  });
});

// The rules of the long tail, each with a sentence of its own (issue 20, item 3).
describe('claim type on the long tail', () => {
  it.each([
    // a person hurt in a road accident: a collision (the injury is recorded apart)
    [
      'je lui ai coupé la route et il est tombé de sa moto, il a une égratignure',
      'collision',
      'cutting off is a road event, not a cut',
    ],
    [
      "j'ai ouvert ma portière et un cycliste l'a prise, il s'est fait mal au poignet",
      'collision',
      'a door opened',
    ],
    [
      "la voiture devant a freiné, je n'ai pas pu éviter le choc, j'ai mal aux cervicales",
      'collision',
      'the shock',
    ],
    [
      "un cycliste a grillé le feu rouge et s'est jeté sur mon capot",
      'collision',
      'someone thrown on the car',
    ],
    ["j'ai glissé et je suis allé taper un arbre", 'collision', 'a slip at the wheel into an obstacle'],
    ["j'ai frotté un pilier en tournant dans le parking", 'collision', 'an obstacle hit'],
    ['j’ai roulé sur une pierre, le bas de caisse est abîmé', 'collision', 'driven over something'],
    ['la voiture devant moi a pilé et je n’ai pas pu m’arrêter à temps', 'collision', 'not stopped in time'],
    ['il a touché mon avant droit en se rabattant', 'collision', 'a lane change'],
    ['le feu était vert pour moi et il est passé au rouge', 'collision', 'a traffic light said in words'],
    [
      "un chevreuil a surgi devant moi, l'avant de la voiture est enfoncé",
      'collision',
      'an animal on the road',
    ],
    [
      "j'ai heurté une barrière de péage sur l'A1, personne de blessé",
      'collision',
      'a toll barrier, nobody hurt',
    ],
    // a person hurt with no vehicle of the client: blessure
    [
      "un snowboarder m'a percutée par derrière, j'ai une fracture du poignet",
      'blessure',
      'no vehicle around',
    ],
    [
      "un enfant à vélo m'a renversée sur le trottoir, j'ai une entorse",
      'blessure',
      'a pedestrian knocked down',
    ],
    ["un pot de fleurs est tombé d'un balcon sur ma tête", 'blessure', 'a thing falling on someone'],
    ["j'ai reçu la balle dans l'œil, décollement de rétine", 'blessure', 'a blow to the eye (œ folded)'],
    ['je me suis coupé la main avec une vitre cassée', 'blessure', 'the broken thing is the instrument'],
    [
      "j'ai glissé dans le rayon d'un supermarché et je me suis fracturé le coude",
      'blessure',
      'a bone, not a door',
    ],
    // a theft that hurts stays a theft
    ["on m'a arraché ma chaîne dans la rue, je suis tombée, je me suis ouvert le genou", 'vol', 'a snatch'],
    ["l'un m'a frappé au visage et l'autre a pris mon sac, j'ai une plaie", 'vol', 'a mugging'],
    ['mon garage a été fracturé et mes vélos ont disparu', 'vol', 'a door forced'],
    ['un gars est monté dans ma voiture et il est parti avec', 'vol', 'driven away'],
    ['mon fils s’est fait racketter son téléphone', 'vol', 'racketeering'],
    ['mon sac a été arraché par un homme en scooter', 'vol', 'a snatch said in the passive'],
    ['la maison avait été visitée, ils ont pris la télé', 'vol', 'a house visited'],
    // damage to the home
    ['un poids lourd a percuté le mur de clôture de ma maison', 'degats', 'the home hit by a vehicle'],
    ['mon voisin a reculé sa voiture dans mon portail', 'degats', "the gate hit by someone else's car"],
    ['ma lunette arrière a explosé au soleil', 'degats', 'glass bursting is no fire'],
    ['ma baie vitrée a été brisée par un ballon', 'degats', 'a pane broken'],
    ['le joint de la douche a fui dans la cuisine', 'degats', 'a leak said with a verb'],
    ['le vent a fait tomber la clôture', 'degats', 'the wind'],
    ['la foudre est tombée sur la maison et la télé a grillé', 'degats', 'lightning falls on no one'],
    ['des rats ont rongé les câbles du moteur', 'degats', 'gnawed'],
    ['le mur de la maison est fissuré', 'degats', 'a crack'],
    ["j'ai renversé un pot de peinture sur la moquette", 'degats', 'a thing knocked over'],
    ['le frigo est tombé en panne suite à une coupure de courant', 'degats', 'a power cut, no cut'],
    [
      'la barrière du parking s’est refermée sur le toit de ma voiture',
      'degats',
      'a thing closing on the car',
    ],
  ])('%s -> %s (%s)', (text, expected) => {
    expect(parseClaimType(text)).toBe(expected);
  });

  it('does not take a vehicle named in a long story for a collision', () => {
    expect(parseClaimTypeAnswer('ma voiture')).toBe('collision');
    expect(
      parseClaimTypeAnswer("alors voilà ma voiture c'est compliqué je ne sais pas bien quoi vous dire"),
    ).toBeNull();
  });
});
