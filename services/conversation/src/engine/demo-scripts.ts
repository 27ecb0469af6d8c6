// What a policyholder of the demo directory types, turn by turn, for the claims the tests, the
// benchmark and the docs walk through.

/** Jean Dupont (AB-123-CD) logs in and confirms who he is. */
export const DUPONT_LOGIN: readonly string[] = ['ab 123 cd', 'oui c’est bien moi'];

/**
 * A parking collision, at fault, nobody hurt, amicable report and photos, 800 euros: the bot
 * handles it autonomously.
 */
export const AUTONOMOUS_COLLISION_SCRIPT: readonly string[] = [
  ...DUPONT_LOGIN,
  "En faisant un créneau hier vers 18h, j'ai accroché une voiture garée, rue de la République à Lyon",
  'non personne n’est blessé',
  'oui on a rempli un constat ensemble',
  'non',
  'oui, j’ai pris des photos',
  'environ 800 euros',
  'oui c’est exact',
];
