// What the events of both features share (advisor.events.ts, escalation.events.ts).
import { eventOptions, type Caller } from '@crm/subgraph';

export const SOURCE = 'escalation';

/** The envelope of an event about `subject` (an entry's or an advisor's id). */
export const options = (subject: string, by: Caller, at: Date) => eventOptions(by, SOURCE, subject, at);
