#!/usr/bin/env node
// `npm start`: the one-command start of the whole system (issue 8) is not built yet.
// Until it lands, this says what can be run today instead of failing obscurely.
console.log(`The one-command start (embedded PostgreSQL, in-process events, five subgraphs and the
gateway) is not built yet. What runs today:

  npm test                       lint, typecheck, unit and integration tests
  npm run kafka:start            a local Apache Kafka broker on 127.0.0.1:9092 (kafka:stop stops it)
  npm run chat -- --offline      the French claims bot in the terminal (engine only), once it lands
`);
process.exit(1);
