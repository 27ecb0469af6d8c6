#!/usr/bin/env node
// npm run kafka:start | kafka:stop | kafka:status
// Options: --port N (default $KAFKA_PORT or 9092). See docs/kafka-broker.md.
import { brokerStatus, KAFKA_VERSION, startBroker, stopBroker } from './broker.mjs';

const [command = 'start', ...rest] = process.argv.slice(2);
const portArg = rest.indexOf('--port');
const port = Number(portArg >= 0 ? rest[portArg + 1] : (process.env.KAFKA_PORT ?? 9092));

try {
  if (command === 'start') {
    const t0 = Date.now();
    const broker = await startBroker({ port });
    const how = broker.reused
      ? `reusing the broker already running${broker.pid ? ` (pid ${broker.pid})` : ''}`
      : `started Apache Kafka ${KAFKA_VERSION} (pid ${broker.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; produce and consume verified`;
    console.error(`[kafka] ${how}`);
    console.log(`KAFKA_BROKERS=${broker.brokers.join(',')}`);
  } else if (command === 'stop') {
    const result = await stopBroker({ port });
    console.log(
      result.stopped
        ? `[kafka] stopped broker pid ${result.pid}`
        : `[kafka] no broker started by this project on port ${port}`,
    );
  } else if (command === 'status') {
    const s = brokerStatus({ port });
    console.log(
      s.pid
        ? `[kafka] running: pid ${s.pid}, 127.0.0.1:${port}, data in ${s.dir}`
        : `[kafka] not running on port ${port}`,
    );
  } else {
    console.error('usage: kafka.mjs start|stop|status [--port N]');
    process.exit(2);
  }
} catch (err) {
  console.error(`[kafka] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
