// The company-scoped QBO v3 routes under /v3/company/:realmId/…: query, upload, cdc, batch, entity CRUD.
import type { IncomingMessage } from 'node:http';
import { createEntity, deleteEntity, updateEntity, type OpOptions } from './entities.ts';
import { faultBody, Faults, qboTime } from './faults.ts';
import { runQuery } from './query.ts';
import { canonicalEntity, type Company, publicView } from './store.ts';
import { changeDataCapture } from './controls.ts';
import type { Answer } from './api-types.ts';
import { faultAnswer, parseJson, runBatch, uploadAttachments } from './requests.ts';

/** Answers one admitted request for company `c`; `baseUrl` is the emulator's own URL (attachment download links). */
export async function routeCompany(
  c: Company,
  method: string,
  u: URL,
  parts: string[],
  body: Buffer,
  req: IncomingMessage,
  baseUrl: string,
): Promise<Answer> {
  try {
    const include = (u.searchParams.get('include') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const opts: OpOptions = { include };
    const head = parts[0].toLowerCase();
    const time = qboTime();
    const ct = String(req.headers['content-type'] ?? '');

    if (head === 'query') {
      let q: string | null = u.searchParams.get('query');
      if (method === 'POST' && !q) q = body.toString('utf8');
      if (!q) throw Faults.queryParser('Encountered "<EOF>" at line 1, column 1. Was expecting: "select"');
      return { status: 200, body: { QueryResponse: runQuery(c, q), time } };
    }
    if (head === 'upload' && method === 'POST') return await uploadAttachments(c, body, ct, baseUrl);
    if (head === 'cdc' && method === 'GET') return { status: 200, body: changeDataCapture(c, u) };
    if (head === 'batch' && method === 'POST') return runBatch(c, parseJson(body), opts);

    const entity = canonicalEntity(head);
    if (!entity) throw Faults.unsupportedOperation(`${method} /${parts.join('/')}`);
    if (method === 'GET') {
      if (parts.length !== 2) throw Faults.unsupportedOperation(`${method} /${parts.join('/')}`);
      // CompanyInfo is read at companyinfo/{realmId}; its Id is "1".
      const id = entity === 'CompanyInfo' && parts[1] === c.realmId ? '1' : parts[1];
      const obj = c.get(entity, id);
      if (!obj) {
        throw Faults.objectNotFound(
          "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
        );
      }
      return { status: 200, body: { [entity]: publicView(obj), time } };
    }
    if (method === 'POST' && parts.length === 1) {
      if (!ct.includes('application/json')) {
        return {
          status: 415,
          body: faultBody([
            {
              Message: 'Unsupported Media Type',
              Detail: `Content-Type ${ct || '(none)'} is not supported; send application/json.`,
              code: '415',
              element: '',
            },
          ]),
        };
      }
      const operation = (u.searchParams.get('operation') ?? 'create').toLowerCase();
      const payload = parseJson(body);
      if (operation === 'create') return { status: 200, body: { [entity]: publicView(createEntity(c, entity, payload, opts)), time } };
      if (operation === 'update') return { status: 200, body: { [entity]: publicView(updateEntity(c, entity, payload, opts)), time } };
      if (operation === 'delete') return { status: 200, body: { [entity]: deleteEntity(c, entity, payload), time } };
      throw Faults.unsupportedOperation(`${operation} ${entity}`);
    }
    throw Faults.unsupportedOperation(`${method} /${parts.join('/')}`);
  } catch (e) {
    return faultAnswer(e);
  }
}
