// Decodes one HEIC image off the main thread (heic-decode is libheif compiled to JS/WASM: a 12 MP iPhone photo
// blocks for about a second). workerData: the file's bytes; answers { width, height, data } (RGBA) or { error }.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const decode = createRequire(import.meta.url)('heic-decode');
try {
  const img = await decode({ buffer: workerData });
  parentPort.postMessage({ width: img.width, height: img.height, data: img.data }, [img.data.buffer]);
} catch (err) {
  parentPort.postMessage({ error: String(err?.message ?? err) });
}
