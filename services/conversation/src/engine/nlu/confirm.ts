// Yes / no understanding for closed questions ("Vous êtes bien Jean Dupont ?", "Y a-t-il des
// blessés ?"). Spoken French says yes and no in many ways; the order of the checks matters:
// "je ne sais pas" is neither, "pas de souci" is a yes although it holds "pas", a leading
// "oui" or "non" decides, and only then do negative and positive phrases anywhere count.
import { words } from './text';

export type Confirmation = 'yes' | 'no';

const UNSURE = [
  ' je ne sais pas ',
  ' je sais pas ',
  ' sais pas ',
  ' ne sais plus ',
  ' sais plus ',
  ' aucune idee ',
  ' je ne suis pas sur ',
  ' pas sur ',
  ' peut etre ',
  ' je ne me souviens pas ',
  ' me rappelle pas ',
];

const YES_DESPITE_NEGATION = [
  ' pas de souci ',
  ' pas de soucis ',
  ' pas de probleme ',
  ' sans probleme ',
  ' sans souci ',
  ' sans aucun doute ',
  ' sans doute ',
  ' pourquoi pas ',
  ' dis pas non ',
  ' pas faux ',
  ' ca ne fait aucun doute ',
  ' aucun doute ',
];

const LEADING_YES =
  /^ (oui|ouais|ouai|ouaip|ouep|ouip|wi|yes|yep|ok|okay|oki|d accord|dac|exact|exactement|tout a fait|absolument|bien sur|effectivement|en effet|affirmatif|parfait|evidemment|certainement|carrement|tout juste|voila|bien entendu|si|mais oui|ben oui|bah oui|eh oui|et oui|bon oui|assurement|tres bien|entierement|volontiers|c est ca|c est bien ca|c est moi|c est bien moi|c est exact|c est correct|c est juste|c est bon|c est le cas|je confirme|confirme|correct|oui oui) /;

const LEADING_NO =
  /^ (non|nan|nope|no|niet|nenni|negatif|pas du tout|absolument pas|jamais|aucun|aucune|du tout) /;

const NO_ANYWHERE = [
  / (c|ce) (n )?est pas /,
  / (c|ce) (n )?etait pas /,
  / pas (moi|lui|elle|ca|le bon|la bonne|les bons|exact|correct|juste|mon|ma|mes|son|sa|du tout|vraiment) /,
  / (vous vous trompez|vous faites erreur|erreur|faux|incorrect|inexact|mauvais|mauvaise|trompe) /,
  / je (ne )?suis pas /,
  / (ne )?m appelle pas /,
  / (ne )?(pense|crois) pas /,
  / c est (mon|ma|mes|son|sa|le|la) (mari|femme|epouse|epoux|conjoint|conjointe|compagnon|compagne|pere|mere|fils|fille|frere|soeur|fr|parent|parents|voisin|voisine|collegue|patron|employeur|beau pere|belle mere|oncle|tante|grand pere|grand mere|copain|copine) /,
  / (contrat|nom) de (mon|ma|mes) /,
  / c est (le contrat|celui|celle) de /,
  / (ni l un ni l autre|pas vraiment|pas encore|plutot pas) /,
  / (n|ne) (est|etait|ai|avons|a|y a) (pas|jamais|rien|aucun|aucune|personne) /,
];

const YES_ANYWHERE = [
  / (oui|ouais|ouai|yes|yep|ok|okay|d accord|exact|exactement|absolument|effectivement|affirmatif|evidemment|certainement|carrement|bien entendu|correct|volontiers|assurement) /,
  / tout a fait /,
  / bien sur /,
  / en effet /,
  / c est (bien )?(moi|ca|exact|correct|juste|bon|le cas|mon contrat|ma personne|cela) /,
  / je confirme /,
  / c est tout a fait /,
  / (la|le) bonne? personne /,
  / (il y en a|j en ai|on en a|c est fait) /,
];

const includesAny = (text: string, phrases: readonly string[]) => phrases.some((p) => text.includes(p));
const matchesAny = (text: string, patterns: readonly RegExp[]) => patterns.some((p) => p.test(text));

/** Reads a yes or a no from an answer to a closed question; null when the answer is neither. */
export function parseConfirmation(text: string): Confirmation | null {
  const w = words(text);
  if (w.trim().length === 0) return null;
  if (includesAny(w, YES_DESPITE_NEGATION)) return 'yes';
  if (includesAny(w, UNSURE)) return null;
  if (LEADING_NO.test(w)) return 'no';
  if (LEADING_YES.test(w)) {
    // "oui enfin non", "oui... non pardon": the later no is the answer
    return / (enfin|pardon|euh|plutot|je veux dire) non /.test(w) ? 'no' : 'yes';
  }
  if (matchesAny(w, NO_ANYWHERE)) return 'no';
  if (matchesAny(w, YES_ANYWHERE)) return 'yes';
  return null;
}
