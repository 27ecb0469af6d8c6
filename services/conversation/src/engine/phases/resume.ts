// The advisor handed the conversation back to the bot: it resumes at the question the transfer
// interrupted, or, once the declaration is over (an escalated claim), offers further help.
import { fr } from '../messages.fr';
import { isSlotStep } from '../context';
import { question } from '../slots';
import type { Turn } from '../turn';

export function resumeAfterAdvisor(t: Turn): void {
  const at = t.dialogue.resumeAt;
  delete t.dialogue.resumeAt;
  t.dialogue.failures = 0;
  t.dialogue.status = 'active';
  const declared = t.collected.decision !== undefined;
  if (!at || declared || at.step === 'ended' || at.step === 'follow_up_more') {
    t.ctx.phase = 'suivi';
    t.goTo('follow_up_more');
    t.say(fr.resumedFollowUp());
    return;
  }
  const profile = t.dialogue.profile;
  // a lookup in flight when the client asked for a person: the matricule is asked again
  const step =
    at.step === 'awaiting_directory' || (at.step === 'confirm_identity' && !profile)
      ? 'ask_matricule'
      : at.step;
  t.ctx.phase = step === 'ask_matricule' ? 'auth' : at.phase;
  t.goTo(step);
  if (isSlotStep(step)) return t.say(fr.resumed(question(t, step)));
  switch (step) {
    case 'ask_matricule':
      return t.say(fr.resumed(fr.askMatriculeAgain()));
    case 'ask_pin':
      return t.say(fr.resumed(fr.askPin()));
    case 'confirm_identity':
      return t.say(fr.resumed(fr.confirmIdentityAgain(profile!)));
    case 'describe':
      return t.say(fr.resumed(fr.askDescriptionAgain()));
    case 'confirm_recap':
    case 'ask_correction':
      t.goTo('confirm_recap');
      return t.say(fr.resumed(fr.recap(t.collected)));
  }
}
