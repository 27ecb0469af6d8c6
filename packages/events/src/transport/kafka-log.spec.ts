import { logLevel } from 'kafkajs';
import { kafkajsLevel } from './kafka-log';

describe("kafkajs's log lines in our logs", () => {
  it('sends the coordination answers kafkajs retries by itself to debug', () => {
    expect(
      kafkajsLevel(
        logLevel.ERROR,
        'Response Heartbeat(key: 12, version: 3)',
        'The group is rebalancing, so a rejoin is needed',
      ),
    ).toBe('debug');
    expect(
      kafkajsLevel(
        logLevel.ERROR,
        'Response Produce(key: 0, version: 7)',
        'This server is not the leader for that topic-partition',
      ),
    ).toBe('debug');
  });

  it('makes a CreateTopics race a warning', () => {
    expect(
      kafkajsLevel(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', 'Topic creation errors'),
    ).toBe('warn');
  });

  it('keeps every other error an error, and warnings warnings', () => {
    expect(kafkajsLevel(logLevel.ERROR, 'Response Fetch(key: 1, version: 11)', 'Unknown error')).toBe(
      'error',
    );
    // the same words outside a protocol answer: kafkajs's own failure, not a retried state
    expect(
      kafkajsLevel(
        logLevel.ERROR,
        'Crash: KafkaJSNumberOfRetriesExceeded',
        'The group is rebalancing, so a rejoin is needed',
      ),
    ).toBe('error');
    expect(kafkajsLevel(logLevel.ERROR, 'Connection error', undefined)).toBe('error');
    expect(kafkajsLevel(logLevel.WARN, 'Response Metadata', 'whatever')).toBe('warn');
  });
});
