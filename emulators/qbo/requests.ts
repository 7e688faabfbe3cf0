// Request plumbing of the QBO emulator: bodies, JSON parsing, fault answers, and the two multi-entity endpoints
// (POST /upload multipart attachments, POST /batch).
import type { IncomingMessage } from 'node:http';
import { createAttachableWithFile, createEntity, deleteEntity, updateEntity, type OpOptions } from './entities.ts';
import { defaultFaultBody, faultBody, Faults, QboFault, qboTime, validationFault } from './faults.ts';
import type { FaultSpec } from './limits.ts';
import { runQuery } from './query.ts';
import { canonicalEntity, type Company, publicView, type Entity } from './store.ts';
import type { Answer } from './api-types.ts';

const MAX_BATCH_ITEMS = 30;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function faultAnswer(e: unknown): Answer {
  if (e instanceof QboFault) return { status: e.status, body: e.body };
  return {
    status: 500,
    body: faultBody(
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: `System Failure Error: ${(e as Error)?.message ?? e}`,
          code: '10000',
          element: '',
        },
      ],
      'SystemFault',
    ),
  };
}

/** An injected fault's answer; status 0 (drop) makes the router destroy the connection instead of answering. */
export function faultAnswerOf(f: FaultSpec): Answer {
  if (f.drop) return { status: 0 };
  return { status: f.status, body: f.body ?? defaultFaultBody(f.status) };
}

export function parseJson(buf: Buffer): Entity {
  try {
    const v = JSON.parse(buf.toString('utf8') || 'null');
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the request body must be a JSON object');
    return v as Entity;
  } catch (e) {
    throw Faults.unsupportedProperty(`Error parsing request JSON: ${(e as Error).message}`);
  }
}

/** POST /upload: multipart file_metadata_NN (JSON Attachable) + file_content_NN (bytes). */
export async function uploadAttachments(c: Company, body: Buffer, contentType: string, baseUrl: string): Promise<Answer> {
  if (!contentType.includes('multipart/form-data')) {
    throw validationFault('2010', 'Request has invalid or unsupported property', 'Upload needs a multipart/form-data body.');
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch (e) {
    throw validationFault('2010', 'Request has invalid or unsupported property', `Malformed multipart body: ${(e as Error).message}`);
  }
  const metas = new Map<string, string>();
  const contents = new Map<string, File>();
  for (const [key, value] of form.entries()) {
    const m = /^file_(metadata|content)_(\w+)$/.exec(key);
    if (!m) throw validationFault('2010', 'Request has invalid or unsupported property', `Unexpected multipart part "${key}"`, key);
    if (m[1] === 'metadata') metas.set(m[2], typeof value === 'string' ? value : await value.text());
    else if (typeof value !== 'string') contents.set(m[2], value);
    else contents.set(m[2], new File([value], `file_${m[2]}`, { type: 'text/plain' }));
  }
  if (contents.size === 0) throw Faults.requiredMissing('file_content_01');
  const responses: unknown[] = [];
  for (const [suffix, file] of contents) {
    try {
      const rawMeta = metas.get(suffix);
      const meta = rawMeta ? parseJson(Buffer.from(rawMeta, 'utf8')) : {};
      const stored = createAttachableWithFile(
        c,
        meta,
        {
          bytes: Buffer.from(await file.arrayBuffer()),
          fileName: file.name || undefined,
          contentType: file.type || undefined,
        },
        baseUrl,
      );
      responses.push({ Attachable: publicView(stored) });
    } catch (e) {
      if (!(e instanceof QboFault)) throw e;
      responses.push({ Fault: (e.body as { Fault: unknown }).Fault });
    }
  }
  return { status: 200, body: { AttachableResponse: responses, time: qboTime() } };
}

/** POST /batch {BatchItemRequest:[{bId, operation, <Entity>} | {bId, Query}]} */
export function runBatch(c: Company, body: Entity, opts: OpOptions): Answer {
  const items = body.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw Faults.requiredMissing('BatchItemRequest');
  if (items.length > MAX_BATCH_ITEMS) {
    throw validationFault(
      '6000',
      'A business validation error has occurred while processing your request',
      `Business Validation Error: a batch holds at most ${MAX_BATCH_ITEMS} items; got ${items.length}.`,
    );
  }
  const responses = items.map((item: Entity) => {
    const bId = item.bId;
    try {
      if (item.Query) return { bId, QueryResponse: runQuery(c, String(item.Query)) };
      const entityKey = Object.keys(item).find((k) => canonicalEntity(k) && k !== 'bId');
      if (!entityKey) throw Faults.requiredMissing('Entity');
      const entity = canonicalEntity(entityKey)!;
      const op = String(item.operation ?? 'create').toLowerCase();
      const payload = item[entityKey];
      const result =
        op === 'create'
          ? publicView(createEntity(c, entity, payload, opts))
          : op === 'update'
            ? publicView(updateEntity(c, entity, payload, opts))
            : op === 'delete'
              ? deleteEntity(c, entity, payload)
              : (() => {
                  throw Faults.unsupportedOperation(`${op} ${entity}`);
                })();
      return { bId, [entity]: result };
    } catch (e) {
      if (!(e instanceof QboFault)) throw e;
      return { bId, Fault: (e.body as { Fault: unknown }).Fault };
    }
  });
  return { status: 200, body: { BatchItemResponse: responses, time: qboTime() } };
}
