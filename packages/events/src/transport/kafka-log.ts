// How loud a kafkajs log line is in our logs. kafkajs logs every failed protocol response at
// error level, including the coordination states it retries by itself in normal operation: a
// group rebalancing (every member's heartbeats answer REBALANCE_IN_PROGRESS until it rejoins),
// a partition whose leader moved, a coordinator still loading. Those are not the on-call
// engineer's to act on: they go to debug. A CreateTopics answer with errors (two services
// creating the same topic at start: provisionTopics waits for the topics and throws itself when
// they do not come) is a warning. Everything else keeps kafkajs's level.
import { logLevel } from 'kafkajs';

export type OurLevel = 'error' | 'warn' | 'debug';

/** the broker's retriable coordination answers, as kafkajs words them */
const RETRIED_BY_KAFKAJS = [
  'The group is rebalancing, so a rejoin is needed',
  'This is not the correct coordinator for this group',
  'The coordinator is loading and hence can',
  'The coordinator is not available',
  'This server is not the leader for that topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
];

export function kafkajsLevel(level: logLevel, message: string, error: unknown): OurLevel {
  const base: OurLevel = level <= logLevel.ERROR ? 'error' : 'warn';
  if (!message.startsWith('Response ') || typeof error !== 'string') return base;
  if (RETRIED_BY_KAFKAJS.some((known) => error.startsWith(known))) return 'debug';
  if (message.startsWith('Response CreateTopics') && error === 'Topic creation errors') return 'warn';
  return base;
}
