// The OpenAPI document describes the free-form documents and nullable ids as they are, so the web's generated client needs no casts.
jest.setTimeout(60_000);
import { Harness, startHarness } from '../support/harness';

describe('OpenAPI document', () => {
  let h: Harness;
  let schemas: Record<string, { properties: Record<string, Record<string, unknown>> }>;
  let paths: Record<
    string,
    Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>
  >;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const doc = (await h.http.get('/api/docs-json').expect(200)).body;
    schemas = doc.components.schemas;
    paths = doc.paths;
  });
  afterAll(() => h.close());

  it('policy and calendar documents are objects of any keys', () => {
    for (const [schema, required] of [
      ['PolicyBody', true],
      ['CalendarBody', true],
      ['CalendarPatch', false],
    ] as const) {
      expect(schemas[schema].properties.document).toMatchObject({
        type: 'object',
        additionalProperties: true,
      });
      expect(
        ((schemas[schema] as { required?: string[] }).required ?? []).includes('document'),
      ).toBe(required);
    }
  });

  it('assigneeId is a string or null', () => {
    expect(schemas.UpdateTicketDto.properties.assigneeId).toMatchObject({
      type: 'string',
      nullable: true,
    });
  });

  it('lists the sort order of the ticket lists and the alarm stream', () => {
    const sort = paths['/api/tickets'].get.parameters!.find((p) => p.name === 'sort');
    expect(sort?.schema).toMatchObject({ enum: ['number', 'due'] });
    expect(paths['/api/alarms/stream']).toHaveProperty('get');
  });
});
