// provisionTopics on the real broker: a topic made with another retention (the partner inbound
// topic kept 14 days before it was cut to 3: docs/privacy.md) gets the catalog's, and keeps its
// other settings (AlterConfigs replaces a topic's whole configuration).
import { integrationEnv, randomSuffix, waitFor } from '@crm/testing';
import { ConfigResourceTypes, ConfigSource, Kafka, logLevel, type Admin } from 'kafkajs';
import { prefixedCatalog, provisionTopics } from './catalog';

const DAY = 86_400_000;
let admin: Admin;
beforeAll(async () => {
  admin = new Kafka({ brokers: integrationEnv().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterAll(() => admin?.disconnect());

const ownSettings = async (topic: string) => {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  return Object.fromEntries(
    resources[0]!.configEntries
      .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
      .map((e) => [e.configName, e.configValue]),
  );
};

it("sets the catalog's retention on an existing topic, once, keeping its other settings", async () => {
  const catalog = prefixedCatalog(`t-${integrationEnv().runId}-ret${randomSuffix(3)}-`);
  const partner = catalog.topics.find((t) => t.format === 'partner')!;
  const others = catalog.topics.filter((t) => t !== partner);
  const names = catalog.topics.flatMap((t) => [t.name, t.dlq.name]);
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: partner.name,
          numPartitions: partner.partitions,
          configEntries: [
            { name: 'retention.ms', value: String(14 * DAY) },
            { name: 'max.message.bytes', value: '2000000' },
          ],
        },
      ],
    });
    const first = await provisionTopics(admin, catalog);
    expect(first.retentionSet).toEqual([partner.name]);
    expect(first.created).toHaveLength(names.length - 1);
    await waitFor(
      'the new retention',
      async () => (await ownSettings(partner.name))['retention.ms'] === String(3 * DAY),
    );
    expect(await ownSettings(partner.name)).toEqual({
      'retention.ms': String(3 * DAY),
      'max.message.bytes': '2000000',
    });
    // the topics it created have the catalog's already
    expect((await ownSettings(others[0]!.name))['retention.ms']).toBe(String(others[0]!.retentionMs));
    expect((await provisionTopics(admin, catalog)).retentionSet).toEqual([]);
  } finally {
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
  }
}, 60_000);
