// Small French wordings of the chat: the place in the queue, the wait, the time of a message.

/** "environ 3 min", "moins d’une minute" */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return 'moins d’une minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `environ ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `environ ${hours} h ${String(rest).padStart(2, '0')}` : `environ ${hours} h`;
}

/** "Vous êtes n° 2 dans la file, attente estimée : environ 3 min" */
export function queueInWords(position: number | null, estimatedWaitSeconds: number | null): string {
  const place =
    position === null
      ? 'Vous êtes dans la file d’attente d’un conseiller'
      : `Vous êtes n° ${position} dans la file`;
  if (estimatedWaitSeconds === null) return `${place}.`;
  return `${place}, attente estimée : ${waitInWords(estimatedWaitSeconds)}`;
}

const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** "14:05" (local time), or "" when the date cannot be read */
export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : TIME.format(at);
}
