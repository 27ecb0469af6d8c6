import { isCorrection, isFollowUpRequest, isGreeting, isHumanRequest } from './intents';

describe('conversation intents', () => {
  it.each(['je veux parler à quelqu’un', 'passez-moi un conseiller', 'je voudrais un vrai humain'])(
    'hears a request for a human in %p',
    (text) => expect(isHumanRequest(text)).toBe(true),
  );
  it.each(['conseiller', 'Un conseiller svp', 'un humain !'])(
    'hears %p alone as a request for a human',
    (text) => expect(isHumanRequest(text)).toBe(true),
  );
  it('does not hear one in an ordinary answer', () => {
    expect(isHumanRequest('une personne a traversé devant moi')).toBe(false);
    expect(isHumanRequest('mon conseiller m’a dit de vous appeler')).toBe(false);
  });
  it('tells a follow-up from a new claim', () => {
    expect(isFollowUpRequest('où en est mon dossier ?')).toBe(true);
    expect(isFollowUpRequest("j'ai eu un accident hier")).toBe(false);
  });
  it('spots corrections and greetings', () => {
    expect(isCorrection("non, c'était avant-hier")).toBe(true);
    expect(isCorrection('oui')).toBe(false);
    expect(isGreeting('Bonjour !')).toBe(true);
    expect(isGreeting('bonjour, on m’a volé ma voiture')).toBe(false);
  });
});
