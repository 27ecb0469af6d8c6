// Starts the real sample service in-process on a fresh test database, with the in-process
// event transport, and calls it over HTTP with a gateway token. Documents are typed from the
// SDL (test/generated, npm run codegen): no result is typed by hand.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type ServiceHarness } from '@crm/testing';
import type { SampleParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';
import { graphql } from './generated';

export type Harness = ServiceHarness<SampleParts>;
export const ADVISOR: Principal = { sub: 'adv-1', roles: ['advisor'] };

export const startSample = (label: string): Promise<Harness> =>
  startServiceForTest(definition, { envSchema, principal: ADVISOR, label });

export const CREATE_WIDGET = graphql(`
  mutation CreateWidget($input: CreateWidgetInput!) {
    createWidget(input: $input) {
      id
      name
      createdAt
    }
  }
`);

export const WIDGET = graphql(`
  query Widget($id: ID!) {
    widget(id: $id) {
      id
      name
    }
  }
`);
