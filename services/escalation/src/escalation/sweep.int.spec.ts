// Two instances of the escalation service in one process (what npm start and the tests do):
// each has its own sweep, and stopping one leaves the other's running. The sweep is the only
// thing that assigns an entry written behind the service's back (here, straight into the
// table, as a crash between a commit and its after-commit assignment would leave it).
import { startServiceForTest, waitFor, type ServiceHarness } from '@crm/testing';
import { type EscalationParts } from '../context';
import { envSchema } from '../env';
import { escalationService } from '../service';
import { REGISTER_ADVISOR, SUPERVISOR } from '../../test/harness';

const start = (label: string) =>
  startServiceForTest(escalationService({ sweepIntervalMs: 200 }), {
    envSchema,
    principal: SUPERVISOR,
    label,
  });

let a: ServiceHarness<EscalationParts> | undefined;
let b: ServiceHarness<EscalationParts> | undefined;
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

it("stopping one instance leaves the other's sweep running: it still assigns what nothing else would", async () => {
  a = await start('escalation_sweep_a');
  b = await start('escalation_sweep_b');
  await a.stop();
  a = undefined;

  const before = b.service.parts.sweep.count;
  await waitFor(
    'two more sweeps of the instance left running',
    () => b!.service.parts.sweep.count >= before + 2,
    {
      timeoutMs: 5_000,
    },
  );

  const advisor = await b.gql(REGISTER_ADVISOR, { input: { name: 'Claire Martin', status: 'AVAILABLE' } });
  const advisorId = advisor.data!.registerAdvisor.id;
  const [entry] = await b.sql<{ id: string }>(
    `insert into escalades (sinistre_id, raisons, priorite, statut, date_creation)
     values (gen_random_uuid(), '["INJURIES"]', 60, 'en_attente', now()) returning id`,
  );
  await waitFor(
    'the sweep to assign the entry',
    async () => {
      const [row] = await b!.sql<{ conseiller_id: string | null }>(
        `select conseiller_id from escalades where id = $1`,
        [entry!.id],
      );
      return row?.conseiller_id === advisorId;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
});
