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
  /^ (non|nan|nope|no|niet|nenni|negatif|aucunement|nullement|en aucun cas|helas non|pas du tout|absolument pas|jamais|aucun|aucune|du tout) /;

const NO_ANYWHERE = [
  / (c|ce) (n )?est pas /,
  / (c|ce) (n )?etait pas /,
  / pas (moi|lui|elle|ca|le bon|la bonne|les bons|exact|correct|juste|mon|ma|mes|son|sa|du tout|vraiment) /,
  / (vous vous trompez|vous faites erreur|erreur|faux|incorrect|inexact|mauvais|mauvaise|trompe) /,
  / je (ne )?suis pas /,
  / (ne )?m appelle pas /,
  / (ne )?(pense|crois) pas /,
  / c est (mon|ma|mes|son|sa|le|la) (mari|femme|epouse|epoux|conjoint|conjointe|compagnon|compagne|pere|mere|fils|fille|frere|soeur|fr|parent|parents|voisin|voisine|collegue|patron|employeur|beau pere|belle mere|oncle|tante|grand pere|grand mere|copain|copine) /,
  / (contrat|assurance|police|nom|dossier|voiture|maison) (est )?(de|a) (mon|ma|mes|notre|nos) /,
  / c est (le contrat|l assurance|la police|le dossier|celui|celle|le nom) (de|d) /,
  / (je suis|c est) (son|sa|ses) (mari|femme|epouse|epoux|conjoint|conjointe|compagnon|compagne|pere|mere|fils|fille|frere|soeur|enfant) /,
  / non /,
  / ((une|d une|l) autre personne|quelqu un d autre|pas la meme personne|homonyme) /,
  / (pas que je sache|pas a ma connaissance|a priori (non|pas)|je pense pas|je ne pense pas|pas vraiment) /,
  / (ni l un ni l autre|pas vraiment|pas encore|plutot pas) /,
  / (n|ne) (est|etait|ai|avons|a|y a) (pas|jamais|rien|aucun|aucune|personne) /,
];

const YES_ANYWHERE = [
  / (parfaitement|precisement|naturellement|certes|c est vrai|vrai|d acc|dacc|ca marche|ca roule|confirme|confirmee|confirmons|je le confirme|c est cela|oui) /,
  / (oui|ouais|ouai|yes|yep|ok|okay|d accord|exact|exactement|absolument|effectivement|affirmatif|evidemment|certainement|carrement|bien entendu|correct|volontiers|assurement) /,
  / tout a fait /,
  / bien sur /,
  / en effet /,
  / c est (bien )?(moi|ca|exact|correct|juste|bon|le cas|mon contrat|ma personne|cela|mon nom|mon numero|mon matricule|mon dossier|mon assurance) /,
  / je confirme /,
  / je suis (bien )?(cette personne|la personne|le titulaire|la titulaire|l assuree?|lui|elle|celui|celle) /,
  / c est tout a fait /,
  / (la|le) bonne? personne /,
  / (il y en a|j en ai|on en a|c est fait) /,
];

/** "Je ne sais pas", "aucune idée": the client does not know (not a yes, not a no). */
export const isUnsure = (text: string): boolean => {
  const w = words(text);
  return (
    UNSURE.some((p) => w.includes(p)) || / (sais pas|idee|sais plus|aucune idee|pas la moindre idee) /.test(w)
  );
};

const includesAny = (text: string, phrases: readonly string[]) => phrases.some((p) => text.includes(p));
const matchesAny = (text: string, patterns: readonly RegExp[]) => patterns.some((p) => p.test(text));

/** Reads a yes or a no from an answer to a closed question; null when the answer is neither. */
/** Hesitations and discourse fillers that open an answer without carrying it ("euh non"): stripped. */
export function parseConfirmation(text: string): Confirmation | null {
  let w = words(text);
  for (let i = 0; i < 3; i += 1) {
    const stripped = w.replace(
      /^ (euh|heu|hum|hm|hmm|ben|bah|beh|eh bien|eh ben|alors|bon|ah|oh|mais|ecoutez|dites)(?= \S)/,
      '',
    );
    if (stripped === w) break;
    w = stripped;
  }
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
