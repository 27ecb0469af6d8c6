import { validate, compileErrors } from '@readme/openapi-parser';
import { openApiDocument } from './openapi';
import { ROUTES } from './routes';

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and has every route of the table with its schemas', async () => {
    const document = openApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    for (const route of ROUTES) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.operationName);
    }
    expect(document.paths['/api/v1/events']?.post?.operationId).toBe('PublishPartnerEvent');
  });
});
