import { formatDateTime, parseDateTime } from './dates';

const at = (text: string, now: string) => {
  const parsed = parseDateTime(text, new Date(now));
  return parsed ? formatDateTime(parsed) : null;
};

// Wednesday 18 November 2026, 16:00 in Paris (UTC+1)
const WED = '2026-11-18T15:00:00Z';
// Monday 30 March 2026, 09:30 in Paris (UTC+2, the day after the switch to summer time)
const MON = '2026-03-30T07:30:00Z';

describe('parseDateTime', () => {
  it.each([
    ['hier vers 14h30', '2026-11-17T14:30'],
    ['avant-hier', '2026-11-16'],
    ['lundi dernier', '2026-11-16'],
    ['ce mercredi', '2026-11-18'],
    ['mercredi', '2026-11-11'],
    ['il y a trois jours', '2026-11-15'],
    ['il y a quinze jours', '2026-11-04'],
    ['le 12 novembre à 9 heures et demie', '2026-11-12T09:30'],
    ['le 25 décembre', '2025-12-25'],
    ['12/11/2026', '2026-11-12'],
    ['hier soir vers 10h', '2026-11-17T22:00'],
    ['cette nuit vers 2h', '2026-11-18T02:00'],
    ['cette nuit', '2026-11-17'],
    ['il y a deux heures', '2026-11-18T14:00'],
  ])('reads %p on a Wednesday', (text, expected) => {
    expect(at(text, WED)).toBe(expected);
  });

  it('dates "lundi dernier" a week back when said on a Monday', () => {
    expect(at('lundi dernier', MON)).toBe('2026-03-23');
    expect(at('ce lundi', MON)).toBe('2026-03-30');
  });

  it('computes hours back on the instant, across the switch to summer time', () => {
    // 10 hours before 09:30 CEST is 23:30 CEST the day before (only 9 wall-clock hours earlier on the 29th's 02:00 jump)
    expect(at('il y a 10 heures', MON)).toBe('2026-03-29T23:30');
  });

  it('uses the Paris date, not the UTC one, late in the evening', () => {
    // 23:30 UTC on 17 November is already 18 November in Paris
    expect(at('hier', '2026-11-17T23:30:00Z')).toBe('2026-11-17');
  });

  it('dates a time alone today when already past, else yesterday', () => {
    expect(at('vers 15h', WED)).toBe('2026-11-18T15:00');
    expect(at('vers 18h', WED)).toBe('2026-11-17T18:00');
    expect(parseDateTime('vers 18h', new Date(WED))?.timeOnly).toBe(true);
  });

  it.each(['je ne sais plus', 'sur le parking', 'PV numéro 2026-00452'])('finds no date in %p', (text) => {
    expect(parseDateTime(text, new Date(WED))).toBeNull();
  });

  // issue 20: what a story says about its date, and what it leaves to be asked
  it.each([
    ['jeudi, non, vendredi, vers 18h', '2026-11-13T18:00', 'the date corrected in the sentence'],
    ['le 3 novembre... non, le 4 novembre', '2026-11-04', 'the date corrected after a pause'],
    ['lundi soir vers 21h, non pardon mardi', '2026-11-17T21:00', 'the day corrected keeps its time'],
    ['mardi entre 9h et 17h', '2026-11-17', 'a span of hours gives the day only'],
    ['hier de 14h à 18h', '2026-11-17', 'a span of hours said with "de ... à"'],
    ['dans la nuit de vendredi', '2026-11-13', 'a night dated by its evening'],
    ['dans la nuit de dimanche à lundi', '2026-11-15', 'a night from one day to the next'],
  ])('reads %p as %p (%s)', (text, expected) => {
    expect(at(text, WED)).toBe(expected);
  });

  it.each([
    ['entre vendredi soir et samedi matin', 'a span of days'],
    ['la machine a fui pendant la nuit', 'a night with no day nor "cette"'],
    ['jeudi soir je me suis garé, le lendemain matin la portière était rayée', 'found the day after'],
  ])('leaves %p to be asked (%s)', (text) => {
    expect(parseDateTime(text, new Date(WED))).toBeNull();
  });
});
